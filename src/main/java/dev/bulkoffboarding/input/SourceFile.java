package dev.bulkoffboarding.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.input.BOMInputStream;

/**
 * An input file whose encoding is known: checked for size, sniffed for a byte order mark and
 * validated byte by byte before the parser sees it.
 * <p>
 * Validating first costs one extra streaming pass, but it is the only way to choose between
 * UTF-8 and windows-1252 without guessing from a sample, and it turns a decoding error deep in a
 * large file into an error with a line number before any row is staged.
 */
final class SourceFile {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static final int BUFFER_BYTES = 1 << 16;

    /** How much of the file's start is looked at for NUL bytes. */
    private static final int NUL_SAMPLE_BYTES = 4096;

    private static final byte[] ZIP_MAGIC = { 'P', 'K', 3, 4 };

    private static final byte[] OLE_MAGIC = { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0 };

    private final Path file;
    private final Charset charset;
    private final List<String> warnings;

    private SourceFile(Path file, Charset charset, List<String> warnings) {
        this.file = file;
        this.charset = charset;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Checks the file can be read and is within {@code options.maxFileBytes()}, and settles its
     * encoding: the one requested, else the one its byte order mark names, else UTF-8 if every
     * byte is valid UTF-8, else windows-1252 (with a warning).
     */
    static SourceFile inspect(Path file, InputOptions options) {
        checkSize(file, options.maxFileBytes());
        try {
            checkNotAWorkbook(file);
            List<String> warnings = new ArrayList<>();
            Charset bomCharset = bomCharset(file);
            Charset requested = options.encoding();
            if (requested != null) {
                if (bomCharset != null && !bomCharset.equals(requested)) {
                    warnings.add("the file starts with a " + bomCharset.name() + " byte order mark but is read as "
                            + requested.name() + " as requested");
                }
                requireValid(file, requested, "pass the file's real encoding with --offboarding.input.encoding");
                return new SourceFile(file, requested, warnings);
            }
            if (bomCharset != null) {
                requireValid(file, bomCharset, "the byte order mark says " + bomCharset.name()
                        + ": save the file again as UTF-8, or pass --offboarding.input.encoding");
                return new SourceFile(file, bomCharset, warnings);
            }
            checkNotBinary(file);
            long badUtf8Line = firstInvalidLine(file, StandardCharsets.UTF_8);
            if (badUtf8Line == 0) {
                return new SourceFile(file, StandardCharsets.UTF_8, warnings);
            }
            long badFallbackLine = firstInvalidLine(file, WINDOWS_1252);
            if (badFallbackLine != 0) {
                throw new InputFileException(file, 0, 0, "not valid UTF-8 (first bad byte on line " + badUtf8Line
                        + ") nor windows-1252 (line " + badFallbackLine
                        + "): is this a text file? Save it as CSV (UTF-8), or pass --offboarding.input.encoding");
            }
            warnings.add("not valid UTF-8 (first bad byte on line " + badUtf8Line + "): read as "
                    + WINDOWS_1252.name() + "; pass --offboarding.input.encoding to choose");
            return new SourceFile(file, WINDOWS_1252, warnings);
        }
        catch (IOException ex) {
            throw unreadable(file, ex);
        }
    }

    Path file() {
        return file;
    }

    Charset charset() {
        return charset;
    }

    List<String> warnings() {
        return warnings;
    }

    /**
     * A new reader over the file's text, without its byte order mark. Bytes that are not valid in
     * the charset fail the read instead of turning into replacement characters.
     */
    Reader openReader() throws IOException {
        return new InputStreamReader(openWithoutBom(file), strictDecoder(charset));
    }

    static InputFileException unreadable(Path file, IOException ex) {
        if (ex instanceof NoSuchFileException) {
            return new InputFileException(file, 0, 0, "the file does not exist", ex);
        }
        if (ex instanceof AccessDeniedException) {
            return new InputFileException(file, 0, 0, "the file cannot be read: permission denied", ex);
        }
        return new InputFileException(file, 0, 0, "the file cannot be read: " + ex.getMessage(), ex);
    }

    private static void checkSize(Path file, long maxFileBytes) {
        try {
            if (Files.isDirectory(file)) {
                throw new InputFileException(file, 0, 0, "is a directory, not a CSV file");
            }
            long size = Files.size(file);
            if (size > maxFileBytes) {
                throw new InputFileException(file, 0, 0, "the file has " + size + " bytes, more than the limit of "
                        + maxFileBytes + " (offboarding.input.max-file-size): split it into smaller files");
            }
        }
        catch (IOException ex) {
            throw unreadable(file, ex);
        }
    }

    /** A workbook parsed as CSV gives a baffling "missing column" error; name the real problem. */
    private static void checkNotAWorkbook(Path file) throws IOException {
        byte[] head = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        if (read == head.length && (Arrays.equals(head, ZIP_MAGIC) || Arrays.equals(head, OLE_MAGIC))) {
            throw new InputFileException(file, 0, 0,
                    "this is a spreadsheet workbook (.xlsx/.xls), not CSV: save it as \"CSV UTF-8\" and try again");
        }
    }

    /**
     * NUL bytes are valid UTF-8, so a UTF-16 file without a byte order mark, or a file that is not
     * text at all, would otherwise be read as garbage rows. A few NULs are a row problem (reported
     * per row); many of them at the start mean the file cannot be read as text.
     */
    private static void checkNotBinary(Path file) throws IOException {
        byte[] head = new byte[NUL_SAMPLE_BYTES];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        int[] nulsAt = new int[2];
        for (int i = 0; i < read; i++) {
            if (head[i] == 0) {
                nulsAt[i % 2]++;
            }
        }
        int nuls = nulsAt[0] + nulsAt[1];
        if (read < 4 || nuls * 10 < read) {
            return;
        }
        if (nulsAt[1] * 10 >= nuls * 9 || nulsAt[0] * 10 >= nuls * 9) {
            String encoding = (nulsAt[1] > nulsAt[0]) ? "UTF-16LE" : "UTF-16BE";
            throw new InputFileException(file, 0, 0, "the file has NUL bytes in every other position: it looks like "
                    + "UTF-16 without a byte order mark. Save it as CSV UTF-8, or pass its encoding (probably "
                    + encoding + ") with --offboarding.input.encoding");
        }
        throw new InputFileException(file, 0, 0, nuls + " of its first " + read
                + " bytes are NUL: this is not a text (CSV) file");
    }

    private static void requireValid(Path file, Charset charset, String advice) throws IOException {
        long badLine = firstInvalidLine(file, charset);
        if (badLine != 0) {
            throw new InputFileException(file, badLine, 0, "not valid " + charset.name() + ": " + advice);
        }
    }

    /**
     * Decodes the whole file in a streaming pass.
     *
     * @return the physical line of the first byte that is not valid in the charset, or 0 if all are
     */
    static long firstInvalidLine(Path file, Charset charset) throws IOException {
        CharsetDecoder decoder = strictDecoder(charset);
        ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES);
        CharBuffer chars = CharBuffer.allocate(BUFFER_BYTES);
        LineCounter lines = new LineCounter();
        try (InputStream in = openWithoutBom(file)) {
            boolean endOfInput = false;
            while (!endOfInput) {
                int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
                endOfInput = read < 0;
                if (read > 0) {
                    bytes.position(bytes.position() + read);
                }
                bytes.flip();
                CoderResult result;
                do {
                    result = decoder.decode(bytes, chars, endOfInput);
                    lines.count(chars);
                    if (result.isError()) {
                        return lines.current();
                    }
                }
                while (result.isOverflow());
                bytes.compact();
            }
            while (decoder.flush(chars).isOverflow()) {
                lines.count(chars);
            }
            return 0;
        }
    }

    private static CharsetDecoder strictDecoder(Charset charset) {
        return charset.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static InputStream openWithoutBom(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        try {
            return BOMInputStream.builder()
                .setInputStream(in)
                .setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16BE, ByteOrderMark.UTF_16LE)
                .setInclude(false)
                .get();
        }
        catch (IOException | RuntimeException ex) {
            in.close();
            throw ex;
        }
    }

    private static Charset bomCharset(Path file) throws IOException {
        try (BOMInputStream in = (BOMInputStream) openWithoutBom(file)) {
            String name = in.getBOMCharsetName();
            return name == null ? null : Charset.forName(name);
        }
    }

    /** Counts line breaks the way Commons CSV does: CR, LF and CRLF each end one line. */
    private static final class LineCounter {

        private long breaks;
        private boolean afterCr;

        /** Counts the chars decoded into the buffer so far, then empties it for the next round. */
        void count(CharBuffer chars) {
            // A plain array loop: this runs over every character of the file.
            char[] array = chars.array();
            int end = chars.arrayOffset() + chars.position();
            for (int i = chars.arrayOffset(); i < end; i++) {
                char c = array[i];
                if (c == '\n') {
                    if (!afterCr) {
                        breaks++;
                    }
                    afterCr = false;
                }
                else if (c == '\r') {
                    breaks++;
                    afterCr = true;
                }
                else {
                    afterCr = false;
                }
            }
            chars.clear();
        }

        long current() {
            return breaks + 1;
        }

    }

}
