package io.spate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spate.dht.Contact;
import io.spate.dht.NodeId;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The daemon's DHT node between runs (BEP 5: a node keeps its id, and bootstraps from the nodes it knew), in
 * {@code STATE/dht-nodes.json}, written atomically:
 * <pre>
 * {"id":"40 hex digits","saved_at_ms":1700000000000,
 *  "nodes":[{"id":"40 hex digits","ip":"203.0.113.7","port":6881}, ...]}
 * </pre>
 * Good nodes come first. A file that cannot be read in full (truncated, not JSON, a bad id, ip or port) is reported
 * and ignored as a whole: the node then starts with a new id and only the {@code --dht-bootstrap} nodes.
 */
final class DhtNodesFile
{
    static final String FILE = "dht-nodes.json";
    /** Most nodes saved (and loaded): plenty to rejoin through, a fraction of a full routing table. */
    static final int MAX_NODES = 300;

    /** What the file held: our id and the nodes to bootstrap from. */
    record Saved(NodeId id, List<Contact> nodes)
    {
    }

    private DhtNodesFile()
    {
    }

    /**
     * @param problems told (naming the file) when it exists but cannot be read.
     * @return what was saved, or null when there is no file or it is unreadable.
     */
    static Saved load(final Path file, final Consumer<String> problems)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            problems.accept(file + ": " + ex.getMessage() + "; the DHT starts without its saved id and nodes");
            return null;
        }
        try
        {
            return decode(bytes);
        }
        catch (final IOException ex)
        {
            problems.accept(file + ": " + ex.getMessage() + "; ignored, the DHT starts without its saved id and " +
                "nodes");
            return null;
        }
    }

    static void save(final Path file, final NodeId id, final List<Contact> nodes) throws IOException
    {
        AtomicFiles.write(file, encode(id, nodes, System.currentTimeMillis()));
    }

    static byte[] encode(final NodeId id, final List<Contact> nodes, final long nowMs)
    {
        final ObjectNode root = ServiceJson.MAPPER.createObjectNode().put("id", id.toString())
            .put("saved_at_ms", nowMs);
        final ArrayNode array = root.putArray("nodes");
        for (final Contact contact : nodes)
        {
            if (array.size() == MAX_NODES)
            {
                break;
            }
            final InetAddress ip = contact.address().getAddress();
            if (ip instanceof Inet4Address && contact.address().getPort() > 0)
            {
                array.addObject().put("id", contact.id().toString()).put("ip", ip.getHostAddress())
                    .put("port", contact.address().getPort());
            }
        }
        return ServiceJson.bytes(root);
    }

    static Saved decode(final byte[] bytes) throws IOException
    {
        if (bytes.length == 0)
        {
            throw new IOException("empty");
        }
        final JsonNode root;
        try
        {
            root = ServiceJson.MAPPER.readTree(bytes);
        }
        catch (final IOException ex)
        {
            throw new IOException("not JSON (" + firstLine(ex.getMessage()) + ")", ex);
        }
        if (root == null || !root.isObject())
        {
            throw new IOException("not a JSON object");
        }
        final NodeId id = nodeId(root.get("id"), "id");
        final JsonNode array = root.get("nodes");
        if (array == null || !array.isArray())
        {
            throw new IOException("nodes: missing or not a list");
        }
        if (array.size() > MAX_NODES)
        {
            throw new IOException("nodes: " + array.size() + " entries, at most " + MAX_NODES + " are written");
        }
        final List<Contact> nodes = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++)
        {
            final JsonNode node = array.get(i);
            final String where = "nodes[" + i + "]";
            if (!node.isObject())
            {
                throw new IOException(where + ": not an object");
            }
            final JsonNode port = node.get("port");
            if (port == null || !port.isIntegralNumber() || port.asLong() < 1 || port.asLong() > 65535)
            {
                throw new IOException(where + ".port: must be 1..65535, got " + port);
            }
            nodes.add(new Contact(nodeId(node.get("id"), where + ".id"),
                new InetSocketAddress(ipv4(node.get("ip"), where + ".ip"), port.asInt())));
        }
        return new Saved(id, List.copyOf(nodes));
    }

    private static NodeId nodeId(final JsonNode value, final String field) throws IOException
    {
        if (value == null || !value.isTextual() || value.asText().length() != 2 * NodeId.LENGTH)
        {
            throw new IOException(field + ": must be 40 hex digits, got " + value);
        }
        try
        {
            return NodeId.fromHex(value.asText());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(field + ": must be 40 hex digits, got " + value, ex);
        }
    }

    /** A dotted-quad IPv4 address, parsed here (never a host name: loading state must not look up DNS). */
    private static InetAddress ipv4(final JsonNode value, final String field) throws IOException
    {
        final String text = value == null || !value.isTextual() ? "" : value.asText();
        final String[] parts = text.split("\\.", -1);
        final byte[] ip = new byte[4];
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++)
        {
            ok = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
            if (ok)
            {
                ip[i] = (byte)Integer.parseInt(parts[i]);
            }
        }
        if (!ok)
        {
            throw new IOException(field + ": must be an IPv4 address, got " + value);
        }
        return InetAddress.getByAddress(ip);
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "unreadable";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
