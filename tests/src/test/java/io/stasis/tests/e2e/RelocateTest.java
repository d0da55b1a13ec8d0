package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.image.FdRecord;
import io.stasis.image.Image;
import io.stasis.image.ImageReader;
import io.stasis.image.Region;
import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code stasis restart --path-map OLD=NEW}: a program whose working directory holds its output file, a fifo with
 * lines in flight and a file it maps MAP_SHARED (tests/programs/workdir.c) is checkpointed and killed, and its
 * directory renamed elsewhere. Without the map the restart refuses in one line naming the missing path (exit
 * 5); with it the program continues exactly, and its next checkpoint records the new paths, so that a second
 * restart needs no map.
 */
class RelocateTest {

    private static final int STEPS = 60;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void restartsInTheDirectoryItWasMovedTo() throws IOException {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path before = sandbox.path("job-a");
            Path after = sandbox.path("moved/job-b");
            sandbox.run("mkdir", "-p", before.toString(), after.getParent().toString()).requireSuccess();
            Coordinator coordinator = Coordinator.embedded(sandbox);
            StasisProcess launched = coordinator.command("launch", "--ckpt-dir", sandbox.work().toString(), "--",
                    Programs.HOME.program("workdir").toString(), String.valueOf(STEPS), "100")
                    .name("workdir").directory(before).start();
            launched.waitForOutput("^5$", WAIT);
            coordinator.checkpoint().requireSuccess();
            List<Path> images = coordinator.images();
            assertThat(images).hasSize(1);
            launched.kill9Tree();
            sandbox.run("mv", before.toString(), after.toString()).requireSuccess();

            CommandResult refused = coordinator.stasis("restart", images.get(0).toString());
            assertThat(refused.exitCode()).as("restart without --path-map\n%s", refused).isEqualTo(5);
            List<String> why = refused.stderr().stream().filter(l -> !l.isBlank()).toList();
            assertThat(why).as("%s", refused).hasSize(1);
            assertThat(why.get(0)).contains(before.toString());

            StasisProcess restarted = coordinator.command("restart", "--path-map", before + "=" + after,
                    images.get(0).toString()).start();
            launched.waitForOutput("^20$", WAIT);
            coordinator.checkpoint().requireSuccess();
            Image second = ImageReader.open(coordinator.images().get(0));
            restarted.kill9Tree();
            assertThat(second.process().cwd()).isEqualTo(after.toString());
            assertThat(second.fds().stream().map(FdRecord::path)).contains(after.resolve("out.txt").toString(),
                    after.resolve("fifo").toString()).noneMatch(p -> p.startsWith(before.toString()));
            assertThat(second.regions().stream().map(Region::name)).contains(after.resolve("counter.dat").toString())
                    .noneMatch(p -> p.startsWith(before.toString()));

            // the new paths are in the image: a later restart needs no map
            StasisProcess again = coordinator.restart(second.path());
            launched.waitForOutput("^done$", WAIT);
            assertThat(again.waitFor(WAIT)).as("%s", again.describe()).isZero();
            List<String> expected = new ArrayList<>(IntStream.range(0, STEPS).mapToObj(String::valueOf).toList());
            expected.addAll(List.of("cwd " + after, "out.txt ok: " + STEPS + " of " + STEPS + " lines", "done"));
            assertThat(launched.lines()).as("%s\n%s", restarted.describe(), again.describe()).isEqualTo(expected);
            assertThat(Files.readAllLines(after.resolve("out.txt"))).hasSize(STEPS);
        }
    }
}
