package io.spate.agent;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards a measured code shape: NetworkAgent.doWork stays above C2's FreqInlineSize (325 bytecodes), so C2 compiles
 * the duty cycle as doWork itself rather than inlining all of it into Agrona's AgentRunner.doWork too (two or three
 * compiles of ~7K bytecodes late in a 1 GiB leech; perf-results/jit/SUMMARY.md). A refactor that shrinks doWork
 * brings those compiles back; this says so.
 */
class DutyCycleShapeTest
{
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void doWorkIsTooBigForC2ToInlineIntoTheAgentRunner() throws IOException
    {
        final int size = codeLength(NetworkAgent.class, "doWork");
        assertTrue(size > FREQ_INLINE_SIZE, "NetworkAgent.doWork is " + size + " bytecodes; above " +
            FREQ_INLINE_SIZE + " C2 compiles it on its own (see the comment at its timer step)");
    }

    /** Bytecode length of the first method named {@code name} in {@code type}'s class file. */
    static int codeLength(final Class<?> type, final String name) throws IOException
    {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class"))
        {
            final DataInputStream data = new DataInputStream(in);
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            data.readUnsignedShort(); // major
            final int count = data.readUnsignedShort();
            final String[] utf8 = new String[count];
            for (int i = 1; i < count; i++)
            {
                final int tag = data.readUnsignedByte();
                switch (tag)
                {
                    case 1 -> utf8[i] = data.readUTF();
                    case 7, 8, 16, 19, 20 -> data.skipBytes(2);
                    case 15 -> data.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.skipBytes(4);
                    case 5, 6 ->
                    {
                        data.skipBytes(8);
                        i++; // 8-byte constants take two slots
                    }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            data.skipBytes(6); // access, this, super
            data.skipBytes(2 * data.readUnsignedShort()); // interfaces
            skipMembers(data); // fields
            final int methods = data.readUnsignedShort();
            for (int m = 0; m < methods; m++)
            {
                data.skipBytes(2); // access
                final String methodName = utf8[data.readUnsignedShort()];
                data.skipBytes(2); // descriptor
                final int attributes = data.readUnsignedShort();
                for (int a = 0; a < attributes; a++)
                {
                    final String attribute = utf8[data.readUnsignedShort()];
                    final int length = data.readInt();
                    if (methodName.equals(name) && attribute.equals("Code"))
                    {
                        data.skipBytes(4); // max_stack, max_locals
                        return data.readInt();
                    }
                    data.skipBytes(length);
                }
            }
            throw new IOException("no method " + name + " in " + type.getName());
        }
    }

    private static void skipMembers(final DataInputStream data) throws IOException
    {
        final int members = data.readUnsignedShort();
        for (int f = 0; f < members; f++)
        {
            data.skipBytes(6); // access, name, descriptor
            final int attributes = data.readUnsignedShort();
            for (int a = 0; a < attributes; a++)
            {
                data.skipBytes(2);
                data.skipBytes(data.readInt());
            }
        }
    }
}
