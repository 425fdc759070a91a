package dev.kiln.machinery.yaml;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes text files as UTF-8, refusing anything else with the offset of the first byte that is not UTF-8. */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** @throws IllegalArgumentException {@code <source>: not valid UTF-8 at byte <offset>} */
    public static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException(source + ": not valid UTF-8 at byte " + in.position());
        }
        return out.flip().toString();
    }
}
