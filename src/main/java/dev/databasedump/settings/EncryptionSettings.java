package dev.databasedump.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who can read a dump, and with what the store keeps it encrypted.
 *
 * @param recipients           age X25519 public keys ({@code age1…}) every dump is encrypted to: from
 *                             {@code dump.encryption.recipients} and {@code dump.encryption.recipients-file};
 *                             empty stores dumps unencrypted
 * @param identityFile         an age identity file ({@code AGE-SECRET-KEY-1…} lines) that verify and restore read
 *                             encrypted dumps with ({@code dump.encryption.identity-file}); its content is a secret,
 *                             read only when a dump is read and never logged
 * @param serverSideEncryption {@code AES256} or {@code aws:kms}, asked of the store on every upload
 *                             ({@code dump.s3.server-side-encryption})
 * @param kmsKeyId             the KMS key for {@code aws:kms} ({@code dump.s3.kms-key-id})
 */
public record EncryptionSettings(List<String> recipients, Optional<Path> identityFile,
        Optional<String> serverSideEncryption, Optional<String> kmsKeyId) {

    // Bech32: "age1" and 58 characters of the Bech32 alphabet for a 32-byte key.
    private static final Pattern RECIPIENT = Pattern.compile("age1[02-9ac-hj-np-z]{58}");

    public EncryptionSettings {
        recipients = List.copyOf(recipients);
        for (int i = 0; i < recipients.size(); i++) {
            if (!RECIPIENT.matcher(recipients.get(i)).matches()) {
                throw new InvalidSettingException("dump.encryption.recipients", "recipient " + (i + 1)
                        + " is not an age X25519 public key (age1 followed by 58 characters, as age-keygen prints)");
            }
        }
        if (serverSideEncryption.isPresent() && !List.of("AES256", "aws:kms").contains(serverSideEncryption.get())) {
            throw new InvalidSettingException("dump.s3.server-side-encryption",
                    "expected AES256 or aws:kms, got '" + serverSideEncryption.get() + "'");
        }
        if (kmsKeyId.isPresent() && !serverSideEncryption.equals(Optional.of("aws:kms"))) {
            throw new InvalidSettingException("dump.s3.kms-key-id", "only goes with dump.s3.server-side-encryption=aws:kms");
        }
        if (identityFile.isPresent() && !Files.isReadable(identityFile.get())) {
            throw new InvalidSettingException("dump.encryption.identity-file", "cannot read " + identityFile.get());
        }
    }

    static EncryptionSettings load(SettingValues s) {
        List<String> recipients = new ArrayList<>(s.list("dump.encryption.recipients", ""));
        Optional<Path> recipientsFile = s.optional("dump.encryption.recipients-file").map(Path::of);
        if (recipientsFile.isPresent()) {
            recipients.addAll(keysIn(recipientsFile.get()));
        }
        return new EncryptionSettings(recipients, s.optional("dump.encryption.identity-file").map(Path::of),
                s.optional("dump.s3.server-side-encryption"), s.optional("dump.s3.kms-key-id"));
    }

    /** Whether dumps are stored encrypted to recipients. */
    public boolean encrypts() {
        return !recipients.isEmpty();
    }

    // One key a line; blank lines and # comments, as age-keygen writes them, are skipped.
    private static List<String> keysIn(Path file) {
        List<String> keys = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new InvalidSettingException("dump.encryption.recipients-file", "cannot read " + file + ": "
                    + e.getClass().getSimpleName());
        }
        if (keys.isEmpty()) {
            throw new InvalidSettingException("dump.encryption.recipients-file", file + " holds no recipient");
        }
        return keys;
    }
}
