package io.stasis.coordinator.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docs/protocol-vectors.txt, parsed; shared with the C tests, so its format is documented in the file. */
public final class ProtocolVectors {

    public record Bad(String name, int code, byte[] bytes) {
    }

    public record Hmac(String name, Secret secret, Bytes nonce, int role, Bytes mac) {
    }

    public final Map<String, byte[]> frames = new LinkedHashMap<>();
    public final List<Bad> bad = new ArrayList<>();
    public final List<Hmac> hmacs = new ArrayList<>();

    public static Path file() {
        // surefire runs in the module directory
        return Path.of("").toAbsolutePath().getParent().resolve("docs/protocol-vectors.txt");
    }

    public static ProtocolVectors load() {
        ProtocolVectors v = new ProtocolVectors();
        HexFormat hex = HexFormat.of();
        try {
            for (String line : Files.readAllLines(file())) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "frame" -> v.frames.put(f[1], hex.parseHex(f[2]));
                    case "bad" -> v.bad.add(new Bad(f[1], Integer.parseInt(f[2]), hex.parseHex(f[3])));
                    case "hmac" -> v.hmacs.add(new Hmac(f[1], Secret.fromHex(f[2]), Bytes.fromHex(f[3]),
                            Integer.parseInt(f[4]), Bytes.fromHex(f[5])));
                    default -> throw new IllegalStateException("unknown vector line: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return v;
    }

    /** What each frame vector holds, as written in the comment above it. */
    public static Map<String, Message> expectedFrames() {
        Bytes nonce = Bytes.fromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
        Bytes mac = Bytes.fromHex("88753bc943033025bba93c68cb3c9084a6faf76696f97c2a4f9d62306fcbfb33");
        Bytes sockaddr = Bytes.fromHex("7f0000011f90");
        String image = "/home/u/ckpt/ckpt_a.out_1a2b3c4d-4242-1f2e3d.stasis";
        Map<String, Message> m = new LinkedHashMap<>();
        m.put("CHALLENGE", new Challenge(1, 1, nonce));
        m.put("CHALLENGE_REVISION_0", new Challenge(1, 0, nonce));
        m.put("AUTH", new Auth(1, 1, mac));
        m.put("AUTH_OK", new AuthOk(1));
        m.put("ERROR", new ErrorReply(2, "bad secret"));
        m.put("REGISTER", new Register("1a2b3c4d-4242-1f2e3d", 4242, 4242, "node1", "a.out", 1, 0, 1, "c0ffee",
                "/home/u/ckpt"));
        m.put("REGISTER_RESTARTING",
                new Register("1a2b3c4d-4242-1f2e3d", 4242, 5151, "node2", "prög", 2, 3, 2, "c0ffee", "/home/u/ckpt"));
        m.put("WELCOME", new Welcome(1, 0, 60));
        m.put("CHECKPOINT", new Checkpoint(3, "/home/u/ckpt", 2));
        m.put("CHECKPOINT_OWN_DIR", new Checkpoint(1, "", 1));
        m.put("BARRIER", new Barrier("SUSPENDED", 3));
        m.put("BARRIER_PLUGIN", new Barrier("sockets:DRAINED", 4294967295L));
        m.put("RELEASE", new Release("DRAINED", 3));
        m.put("ABORT", new Abort(3, "pid 4242 (a.out) disconnected during checkpoint 3"));
        m.put("CKPT_RESULT", new CkptResult(3, 0, image, 1048576, 4194304, 250000, ""));
        m.put("CKPT_RESULT_FAILED", new CkptResult(3, 1, "", 0x0123456789abcdefL, 0xfedcba9876543210L, 0,
                "No space left on device"));
        m.put("PROGRESS", new Progress(3, 5000000000L, 8589934592L));
        m.put("KILL", new Kill());
        m.put("BYE", new Bye(1));
        m.put("UNRESTORED", new Unrestored(3, "fd 5 socket:[TCP 127.0.0.1:40000->127.0.0.1:5000]"));
        m.put("NAME_PUBLISH", new NamePublish("sockets:listen:4242:3", sockaddr));
        m.put("NAME_LOOKUP", new NameLookup("sockets:listen:4242:3"));
        m.put("NAME_VALUE", new NameValue("sockets:listen:4242:3", true, sockaddr));
        m.put("NAME_VALUE_NOT_FOUND", NameValue.notFound("nobody"));
        m.put("COMMAND", new Command(2, 0));
        m.put("COMMAND_INTERVAL", new Command(6, 300));
        m.put("COMMAND_RESULT", new CommandResult(0, "checkpoint 3: 2 processes, 5.0 MiB in 0.3 s"));
        return m;
    }
}
