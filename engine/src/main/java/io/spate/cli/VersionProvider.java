package io.spate.cli;

import picocli.CommandLine;

/** Version from the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"spate " + (v != null ? v : "dev")};
    }
}
