package dev.databasedump.document;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;

import dev.databasedump.settings.InvalidSettingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * age (age-encryption.org/v1) with X25519 keys, through jagged, a maintained implementation: no cryptography of our
 * own. What {@code age -d -i key.txt} decrypts, and what {@code age-keygen} makes keys for.
 */
public final class Age {

    private Age() {
    }

    /**
     * The recipients a dump is encrypted to, from their public keys ({@code age1…}).
     *
     * @throws InvalidSettingException naming {@code dump.encryption.recipients} for a key that does not decode
     */
    public static List<RecipientStanzaWriter> recipients(List<String> publicKeys) {
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (int i = 0; i < publicKeys.size(); i++) {
            try {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(publicKeys.get(i)));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new InvalidSettingException("dump.encryption.recipients", "recipient " + (i + 1)
                        + " is not an age X25519 public key: " + e.getClass().getSimpleName());
            }
        }
        return writers;
    }

    /**
     * The identities of an age identity file ({@code AGE-SECRET-KEY-1…} lines, {@code #} comments), as
     * {@code age-keygen} writes it. Its content is a secret: no message ever quotes it.
     *
     * @throws InvalidSettingException naming {@code dump.encryption.identity-file} when it cannot be read or holds no
     *                                 identity
     */
    public static List<RecipientStanzaReader> identities(Path identityFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(identityFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidSettingException("dump.encryption.identity-file", "cannot read " + identityFile);
        }
        List<RecipientStanzaReader> readers = new ArrayList<>();
        for (String line : lines) {
            String key = line.strip();
            if (key.isEmpty() || key.startsWith("#")) {
                continue;
            }
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(key));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new InvalidSettingException("dump.encryption.identity-file", identityFile
                        + " holds a line that is not an age X25519 identity (AGE-SECRET-KEY-1…)");
            }
        }
        if (readers.isEmpty()) {
            throw new InvalidSettingException("dump.encryption.identity-file", identityFile
                    + " holds no age X25519 identity (AGE-SECRET-KEY-1…)");
        }
        return readers;
    }

    /** A channel that encrypts what is written to it into {@code out}; closing it writes the last chunk. */
    static WritableByteChannel encrypting(WritableByteChannel out, List<RecipientStanzaWriter> recipients)
            throws IOException {
        try {
            return new StandardEncryptingChannelFactory().newEncryptingChannel(out, recipients);
        } catch (GeneralSecurityException e) {
            throw new IOException("age encryption could not start: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of an age file. An identity the file is not encrypted to fails here, before any plaintext, with
     * {@link WrongIdentityException}.
     */
    static InputStream decrypting(InputStream encrypted, List<RecipientStanzaReader> identities) throws IOException {
        try {
            return Channels.newInputStream(new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(encrypted), identities));
        } catch (GeneralSecurityException e) {
            throw new WrongIdentityException(e);
        }
    }

    /** The dump is not encrypted to any identity of the identity file (or its header is damaged). */
    public static final class WrongIdentityException extends IOException {

        WrongIdentityException(GeneralSecurityException cause) {
            super("the dump is encrypted to other recipients than the identities in dump.encryption.identity-file"
                    + " (or its age header is damaged)", cause);
        }
    }
}
