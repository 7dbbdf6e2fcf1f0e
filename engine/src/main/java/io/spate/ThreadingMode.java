package io.spate;

/** How the engine's agents map onto threads (as Aeron's ThreadingMode). */
public enum ThreadingMode
{
    /** Each network agent on its own thread. */
    DEDICATED,
    /** All network agents on one thread (tests, small machines). */
    SHARED
}
