package io.stasis.plugin.pidvirt;

import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.api.plugin.SectionDecoder;
import java.util.Optional;

/** Built-in plugin: process and thread ids (pid, tid, ppid, pgid, sid) keep their values across restart. */
public final class PidVirtPlugin implements ResourcePlugin {

    @Override
    public String id() {
        return "pid-virt";
    }

    @Override
    public String description() {
        return "process and thread ids (pid, tid, ppid, pgid, sid) keep their values across restart";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.of("libstasis_pidvirt.so");
    }

    @Override
    public Optional<SectionDecoder> sectionDecoder() {
        return Optional.of(new PidVirtSection());
    }
}
