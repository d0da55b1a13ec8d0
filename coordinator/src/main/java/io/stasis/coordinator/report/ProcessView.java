package io.stasis.coordinator.report;

import io.stasis.api.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One process in the answer to {@code COMMAND list}; {@code state} is running, checkpointing or restarting. */
public record ProcessView(String uniqueId, long pid, long realPid, String host, String program, String state,
                          long generation, String computationId) {

    public static String listToJson(List<ProcessView> processes) {
        List<Object> array = new ArrayList<>();
        for (ProcessView p : processes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uniqueId", p.uniqueId);
            m.put("pid", p.pid);
            m.put("realPid", p.realPid);
            m.put("host", p.host);
            m.put("program", p.program);
            m.put("state", p.state);
            m.put("generation", p.generation);
            m.put("computationId", p.computationId);
            array.add(m);
        }
        return Json.write(array);
    }

    public static List<ProcessView> listFromJson(String json) {
        if (!(Json.parse(json) instanceof List<?> array)) {
            throw new IllegalArgumentException("expected a JSON array of processes");
        }
        List<ProcessView> result = new ArrayList<>();
        for (Object o : array) {
            JsonFields f = JsonFields.of(o);
            result.add(new ProcessView(f.string("uniqueId"), f.number("pid"), f.number("realPid"), f.string("host"),
                    f.string("program"), f.string("state"), f.number("generation"), f.string("computationId")));
        }
        return result;
    }
}
