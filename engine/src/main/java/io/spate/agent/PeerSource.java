package io.spate.agent;

import java.util.Locale;

/** Where we heard of a peer: what made us dial it, or {@link #INCOMING} when it dialled us. */
public enum PeerSource
{
    TRACKER,
    DHT,
    /** Peer exchange (BEP 11): another peer named it. */
    PEX,
    /** Given by hand (a {@code --peer}, a test). */
    MANUAL,
    INCOMING;

    /** @return the name the API shows: lower case. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
