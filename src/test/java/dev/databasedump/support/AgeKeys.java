package dev.databasedump.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** An age key pair made by the real age-keygen, and decryption by the real age tool: what users run. */
public record AgeKeys(Path identityFile, String publicKey, String secretKey) {

    public static AgeKeys generate(Path dir, String name) throws IOException, InterruptedException {
        Path identity = dir.resolve(name + ".txt");
        run(new ProcessBuilder("age-keygen", "-o", identity.toString()));
        String text = Files.readString(identity, StandardCharsets.UTF_8);
        String publicKey = text.lines().filter(line -> line.startsWith("# public key: ")).findFirst().orElseThrow()
                .substring("# public key: ".length());
        String secretKey = text.lines().filter(line -> line.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow();
        return new AgeKeys(identity, publicKey, secretKey);
    }

    /** {@code age -d -i <identity> <file>}: the plaintext, or the tool's own failure. */
    public byte[] decryptWithAgeTool(Path encrypted) throws IOException, InterruptedException {
        Process age = new ProcessBuilder("age", "-d", "-i", identityFile.toString(), encrypted.toString()).start();
        byte[] plaintext = age.getInputStream().readAllBytes();
        String errors = new String(age.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!age.waitFor(60, TimeUnit.SECONDS) || age.exitValue() != 0) {
            throw new IllegalStateException("age -d failed: " + errors);
        }
        return plaintext;
    }

    private static void run(ProcessBuilder command) throws IOException, InterruptedException {
        Process process = command.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command.command() + " failed: " + output);
        }
    }
}
