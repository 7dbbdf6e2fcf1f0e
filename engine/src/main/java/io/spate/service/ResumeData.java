package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;

/**
 * What fast resume keeps of a torrent: its verified pieces and, for each file, the size and modification time they
 * were verified against. A torrent whose files still carry these stamps comes back without a re-hash. Encoded as one
 * small JSON object (the bitfield in base64), written with {@link AtomicFiles}.
 *
 * @param infoHash   hex info-hash, to refuse resume data of another torrent.
 * @param pieceCount the torrent's piece count.
 * @param verified   the verified pieces.
 * @param files      each data file's stamp, in torrent order.
 */
public record ResumeData(String infoHash, int pieceCount, BitSet verified, List<FileStamp> files)
{
    /** Format version; data of another version is ignored (the torrent is re-checked). */
    static final int VERSION = 1;

    /**
     * One file as it was when the verified set was taken.
     *
     * @param path    relative to the data dir.
     * @param size    bytes, or -1 when the file did not exist.
     * @param mtimeNs modification time in nanoseconds since the epoch.
     */
    public record FileStamp(String path, long size, long mtimeNs)
    {
    }

    public byte[] encode()
    {
        final ObjectNode root = ServiceJson.MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("info_hash", infoHash);
        root.put("pieces", pieceCount);
        root.put("verified", Base64.getEncoder().encodeToString(verified.toByteArray()));
        final ArrayNode array = root.putArray("files");
        for (final FileStamp file : files)
        {
            array.addObject().put("path", file.path()).put("size", file.size()).put("mtime_ns", file.mtimeNs());
        }
        return ServiceJson.bytes(root);
    }

    /**
     * @return the resume data in {@code bytes}.
     * @throws IOException naming what is wrong when the bytes are not resume data of this format.
     */
    public static ResumeData decode(final byte[] bytes) throws IOException
    {
        final JsonNode root = ServiceJson.MAPPER.readTree(bytes);
        if (root == null || !root.isObject() || root.path("version").asInt(-1) != VERSION)
        {
            throw new IOException("not resume data of version " + VERSION);
        }
        final String infoHash = root.path("info_hash").asText("");
        final int pieces = root.path("pieces").asInt(-1);
        final BitSet verified;
        try
        {
            verified = BitSet.valueOf(Base64.getDecoder().decode(root.path("verified").asText("")));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException("verified: not base64", ex);
        }
        if (infoHash.length() != 40 || pieces < 1 || verified.length() > pieces || !root.path("files").isArray())
        {
            throw new IOException("info_hash, pieces, verified or files missing or out of range");
        }
        final List<FileStamp> files = new ArrayList<>();
        for (final JsonNode file : root.path("files"))
        {
            files.add(new FileStamp(file.path("path").asText(), file.path("size").asLong(-2),
                file.path("mtime_ns").asLong()));
        }
        return new ResumeData(infoHash, pieces, verified, List.copyOf(files));
    }
}
