package io.spate.verify;

import io.spate.metainfo.PieceSha1;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs only in the surefire execution with -Dspate.sha1=native (engine/pom.xml), beside VerifyPipelineTest: that the
 * pipeline there really hashes with the native SHA-1, blocks in place, and not with the JDK's fallback.
 */
class NativeSha1PipelineTest
{
    @Test
    void piecesAreHashedByTheNativeSha1InPlace()
    {
        assertEquals("native", System.getProperty(PieceSha1.PROPERTY), "this execution's JVM is the native one");
        assertEquals("AmazonCorrettoCryptoProvider", PieceSha1.providerName());
        final PieceDigest digest = new PieceDigest().reset(null);
        assertTrue(digest.inPlace, "a piece's digest reads the blocks' direct memory itself");
    }
}
