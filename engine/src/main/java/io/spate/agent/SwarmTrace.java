package io.spate.agent;

import io.spate.peer.PeerClaims;
import io.spate.peer.PeerConnection;
import io.spate.picker.PiecePicker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Diagnosis for the swarm lab, off unless the system property {@code spate.trace.dir} names a directory: once a
 * second each torrent appends one JSON line to {@code DIR/trace-PID.jsonl} with every active connection's choke and
 * interest flags, rates, our requests in flight at it and its requests queued at us. It tells why an upload link
 * idles (nobody interested, peers choked, or unchoked peers not asking). Allocates and writes on the agent thread:
 * for experiments, never on by default.
 */
final class SwarmTrace
{
    static final String DIR_PROP = "spate.trace.dir";
    private static final String DIR = System.getProperty(DIR_PROP);

    private final Writer out;
    private final long startNs;

    private SwarmTrace(final Writer out, final long startNs)
    {
        this.out = out;
        this.startNs = startNs;
    }

    /** A trace when {@value #DIR_PROP} is set, else null. */
    static SwarmTrace ifEnabled(final long nowNs)
    {
        return DIR == null ? null : open(Path.of(DIR), nowNs);
    }

    /** A trace appending to {@code dir/trace-PID.jsonl}, its clock starting at {@code nowNs}. */
    static SwarmTrace open(final Path dir, final long nowNs)
    {
        try
        {
            final Path file = dir.resolve("trace-" + ProcessHandle.current().pid() + ".jsonl");
            Files.createDirectories(dir);
            return new SwarmTrace(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), nowNs);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(DIR_PROP + " " + dir, e);
        }
    }

    void sample(final long nowNs, final PiecePicker picker, final List<PeerConnection> peers, final Uploads uploads)
    {
        final StringBuilder line = new StringBuilder(160 + 200 * peers.size());
        // unix_ms puts the line on the lab's clock (its result.json has t0_unix)
        line.append("{\"t\":").append((nowNs - startNs) / 1_000_000).append(",\"unix_ms\":")
            .append(System.currentTimeMillis()).append(",\"have\":")
            .append(picker.haveBitfield().cardinality()).append(",\"endgame\":").append(picker.inEndgame())
            .append(",\"peers\":[");
        boolean first = true;
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnection peer = peers.get(i);
            final PeerClaims claims = peer.claims();
            if (peer.state() != PeerConnection.State.ACTIVE || claims == null)
            {
                continue;
            }
            line.append(first ? "" : ",").append("{\"addr\":\"").append(peer.remote().getAddress().getHostAddress())
                .append("\",\"am_choking\":").append(peer.amChoking())
                .append(",\"interested\":").append(claims.interested())
                .append(",\"am_interested\":").append(peer.amInterested())
                .append(",\"choking\":").append(claims.choking())
                .append(",\"up\":").append(peer.traffic().uploadRate())
                .append(",\"down\":").append(peer.traffic().downloadRate())
                .append(",\"in_flight\":").append(peer.requests().size())
                .append(",\"queued\":").append(peer.uploadsQueued())
                .append(",\"pieces\":").append(claims.pieces().cardinality())
                .append(",\"snubbed\":").append(peer.requests().snubbed())
                .append(",\"refused\":").append(uploads.refusedToTrade(peer))
                .append(",\"optimistic\":").append(uploads.optimistic(peer)).append('}');
            first = false;
        }
        line.append("]}\n");
        try
        {
            out.write(line.toString());
            out.flush();
        }
        catch (final IOException e)
        {
            // a diagnosis must not stop a transfer: the lines written so far stay
        }
    }

    /** The torrent stopped: the file is closed (every line was flushed as written). */
    void close()
    {
        try
        {
            out.close();
        }
        catch (final IOException e)
        {
            // nothing is lost: every line was flushed
        }
    }
}
