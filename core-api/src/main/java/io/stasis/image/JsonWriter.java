package io.stasis.image;

import io.stasis.api.json.Json;

import java.util.ArrayDeque;
import java.util.Deque;

/** A minimal pretty-printing JSON writer (two-space indent), enough for {@code inspect --json}. */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** Per open container: whether it has a member yet (for commas and closing indentation). */
    private final Deque<Boolean> hasMembers = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    JsonWriter name(String name) {
        beforeValue();
        quote(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /** A u64 field: JSON numbers have no width, so all 64 bits are written as unsigned decimal. */
    JsonWriter unsignedValue(long value) {
        beforeValue();
        out.append(Long.toUnsignedString(value));
        return this;
    }

    JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        return out.toString() + "\n";
    }

    private JsonWriter open(char bracket) {
        beforeValue();
        out.append(bracket);
        hasMembers.push(false);
        return this;
    }

    private JsonWriter close(char bracket) {
        boolean any = hasMembers.pop();
        if (any) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!hasMembers.isEmpty()) {
            if (hasMembers.peek()) {
                out.append(',');
            }
            hasMembers.pop();
            hasMembers.push(true);
            newline();
        }
    }

    private void newline() {
        out.append('\n').append("  ".repeat(hasMembers.size()));
    }

    private void quote(String text) {
        Json.quote(text, out);
    }
}
