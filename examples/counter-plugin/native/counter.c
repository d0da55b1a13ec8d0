/* The counter plugin's fragment: it counts the checkpoints its process went through and the times it
 * was restarted, keeps both in its own image section, and says on stderr what it does, each line
 * starting with its greeting (the counter.greeting setting, STASIS_COUNTER_GREETING).
 *
 * It also shows the coordinator's name service: the counts it writes are published, and read back
 * from the coordinator once the checkpoint (or the restart) is through. One process per computation
 * is assumed: the keys are not per process.
 *
 * It uses <stasis/plugin.h> (its events) and <stasis/services.h> (its section, the name service, the
 * settings) and nothing else of Stasis. Events run while the program's threads are
 * frozen: no malloc, no stdio, no locks — lines are assembled in a buffer and written with one
 * write(2) that no wrapper sees. */
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

/* The section, little-endian: "CNT1", checkpoints, restarts. Its Java twin is CounterSection. */
#define COUNTER_MAGIC 0x31544e43u
#define COUNTER_SECTION_SIZE 12

static struct counter_state {
    char greeting[64];
    uint32_t checkpoints;           /* images written, this one included */
    uint32_t restarts;
} counter_state;

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct line {
    char text[256];
    size_t length;
};

static void add(struct line *l, const char *s)
{
    size_t n = strlen(s);
    if (n > sizeof l->text - 1 - l->length)
        n = sizeof l->text - 1 - l->length;
    memcpy(l->text + l->length, s, n);
    l->length += n;
}

static void add_u32(struct line *l, uint32_t v)
{
    char digits[11];
    int i = sizeof digits;
    digits[--i] = 0;
    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    add(l, digits + i);
}

/* "<greeting>: <what> <n> <what2> <n2>\n" on stderr */
static void say(const char *what, uint32_t n, const char *what2, uint32_t n2)
{
    struct line l = {.length = 0};
    add(&l, counter_state.greeting);
    add(&l, ": ");
    add(&l, what);
    add_u32(&l, n);
    if (what2) {
        add(&l, what2);
        add_u32(&l, n2);
    }
    add(&l, "\n");
    stasis_real_syscall(SYS_write, 2, (long)l.text, (long)l.length, 0, 0, 0);
}

static int counter_init(void)
{
    const char *greeting = stasis_getenv("STASIS_COUNTER_GREETING");
    strncpy(counter_state.greeting, greeting && *greeting ? greeting : "counter", sizeof counter_state.greeting - 1);
    say("loaded, checkpoints ", 0, NULL, 0);
    return 0;
}

static int publish_u32(const char *key, uint32_t v)
{
    unsigned char value[4];
    put_u32(value, v);
    return stasis_publish(key, value, sizeof value);
}

/* "<greeting>: the coordinator knows <what> <n>", or why it does not */
static void say_published(const char *key, const char *what)
{
    unsigned char value[4];
    long n = stasis_lookup(key, value, sizeof value);
    if (n == (long)sizeof value)
        say(what, get_u32(value), NULL, 0);
    else
        say("name service lookup failed, error ", (uint32_t)(n < 0 ? -n : n), NULL, 0);
}

static int counter_write(void)
{
    unsigned char section[COUNTER_SECTION_SIZE];
    counter_state.checkpoints++;
    put_u32(section, COUNTER_MAGIC);
    put_u32(section + 4, counter_state.checkpoints);
    put_u32(section + 8, counter_state.restarts);
    int r = stasis_section_write(section, sizeof section);
    return r < 0 ? r : publish_u32("counter:checkpoints", counter_state.checkpoints);
}

/* The process's memory came back with the image, counters included; the section is read anyway, to
 * show the round trip (and it is what a plugin restores when its state lives outside the process). */
static int counter_restart(void)
{
    size_t length = 0;
    const unsigned char *section = stasis_section_read(&length);
    if (!section || length != COUNTER_SECTION_SIZE || get_u32(section) != COUNTER_MAGIC) {
        say("no counter section in the image, restart ", counter_state.restarts + 1, NULL, 0);
        counter_state.restarts++;
        return 0;
    }
    counter_state.checkpoints = get_u32(section + 4);
    counter_state.restarts = get_u32(section + 8) + 1;
    say("restored from its section after checkpoint ", counter_state.checkpoints, ", restart ",
        counter_state.restarts);
    /* a restart alone, without a coordinator, cannot publish: not an error */
    int r = publish_u32("counter:restarts", counter_state.restarts);
    return r == -ENOTCONN ? 0 : r;
}

static int counter_event(const struct stasis_event_info *info)
{
    switch (info->event) {
    case STASIS_EVENT_INIT:
        return counter_init();
    case STASIS_EVENT_WRITE:
        return counter_write();
    case STASIS_EVENT_RESUME:
        say("checkpoint written, checkpoints ", counter_state.checkpoints, NULL, 0);
        say_published("counter:checkpoints", "the coordinator knows checkpoints ");
        return 0;
    case STASIS_EVENT_RESTART:
        return counter_restart();
    case STASIS_EVENT_REFILL:
        say_published("counter:restarts", "the coordinator knows restarts ");
        return 0;
    case STASIS_EVENT_EXIT:
        say("exiting, checkpoints ", counter_state.checkpoints, ", restarts ", counter_state.restarts);
        return 0;
    default:
        return STASIS_NOT_MINE;
    }
}

static const struct stasis_plugin counter_plugin = {
    .api_version = STASIS_PLUGIN_API_VERSION,
    .id = "counter",
    .on_event = counter_event,
};

STASIS_PLUGIN_REGISTER(counter_plugin)
