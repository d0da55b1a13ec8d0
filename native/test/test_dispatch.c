/* The order plugin.h promises: fragments are kept in the launcher's order
 * (STASIS_PLUGINS, dependencies first) whatever order their constructors register
 * in; checkpoint-side events go in that order, restart-side ones in reverse; a
 * failure stops the dispatch and names the plugin, while STASIS_NOT_MINE does not;
 * a kind of resource goes to the first plugin, in that order, that declared it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/config.h"
#include "../core/plugins.h"
#include "check.h"

#define TRACE_MAX 1024

static struct dispatch_test {
    char trace[TRACE_MAX];       /* "id:event " per call, in call order */
    const char *fail_id;         /* this plugin fails its next event with -EIO */
    const char *not_mine_id;     /* this plugin answers STASIS_NOT_MINE */
} dispatch_test;

static int record(const char *id, const struct stasis_event_info *info)
{
    size_t used = strlen(dispatch_test.trace);
    snprintf(dispatch_test.trace + used, TRACE_MAX - used, "%s:%d ", id, (int)info->event);
    if (dispatch_test.fail_id && strcmp(dispatch_test.fail_id, id) == 0)
        return -EIO;
    if (dispatch_test.not_mine_id && strcmp(dispatch_test.not_mine_id, id) == 0)
        return STASIS_NOT_MINE;
    return 0;
}

static int on_base(const struct stasis_event_info *info) { return record("base", info); }
static int on_middle(const struct stasis_event_info *info) { return record("middle", info); }
static int on_top(const struct stasis_event_info *info) { return record("top", info); }
static int on_stranger(const struct stasis_event_info *info) { return record("stranger", info); }

static int on_old(const struct stasis_event_info *info) { return record("old", info); }

static const char *const fifos[] = {STASIS_RESOURCE_FIFO, NULL};
static const char *const fifos_and_sockets[] = {STASIS_RESOURCE_FIFO, STASIS_RESOURCE_SOCKET, NULL};
static const struct stasis_plugin base = {STASIS_PLUGIN_API_VERSION, "base", on_base, NULL, fifos};
static const struct stasis_plugin middle = {STASIS_PLUGIN_API_VERSION, "middle", on_middle, NULL, fifos_and_sockets};
static const struct stasis_plugin top = {STASIS_PLUGIN_API_VERSION, "top", on_top, NULL, NULL};
static const struct stasis_plugin stranger = {STASIS_PLUGIN_API_VERSION, "stranger", on_stranger, NULL, NULL};
static const struct stasis_plugin too_new = {STASIS_PLUGIN_API_VERSION + 1, "top", on_top, NULL, NULL};
/* built for version 1, whose descriptor ended before `restores`: what follows is not its own */
static const struct stasis_plugin old = {1, "old", on_old, NULL, fifos_and_sockets};

static void dispatch_and_expect(enum stasis_event event, const char *expected)
{
    dispatch_test.trace[0] = 0;
    const char *failed = NULL;
    int r = plugins_dispatch(event, 7, &failed);
    CHECK(r == 0, "event %d: dispatch returned %d (failed: %s)", (int)event, r, failed ? failed : "-");
    CHECK(strcmp(dispatch_test.trace, expected) == 0, "event %d: called \"%s\", expected \"%s\"", (int)event,
          dispatch_test.trace, expected);
}

int main(void)
{
    setenv("STASIS_PLUGINS", "base,middle,top,old", 1);
    config_load_from_environment();

    /* glibc runs preloaded constructors in no promised order: register out of order */
    CHECK(stasis_plugin_register(&top) == 0, "register top");
    CHECK(stasis_plugin_register(&base) == 0, "register base");
    CHECK(stasis_plugin_register(&middle) == 0, "register middle");
    CHECK(strcmp(dispatch_test.trace, "top:0 base:0 middle:0 ") == 0, "INIT once each, at registration: %s",
          dispatch_test.trace);
    CHECK(stasis_plugin_register(&stranger) == -EPERM, "a fragment of a plugin that is not enabled stays out");
    CHECK(stasis_plugin_register(&too_new) == -EINVAL, "another API version is refused");
    CHECK(stasis_plugin_register(&top) == -EEXIST, "one registration per id");
    CHECK(plugins_count() == 3, "three plugins, not %d", plugins_count());

    /* routing: the first declarer in load order, or nobody */
    CHECK(strcmp(plugins_owner(STASIS_RESOURCE_FIFO), "base") == 0, "fifos go to base, the first that declared them");
    CHECK(strcmp(plugins_owner(STASIS_RESOURCE_SOCKET), "middle") == 0, "sockets go to middle");
    CHECK(plugins_owner(STASIS_RESOURCE_ANON) == NULL, "nobody declared anon descriptors");
    CHECK(plugins_owner(NULL) == NULL, "what the core restores itself has no owner");

    const char *in_order = "base:%d middle:%d top:%d ";
    const char *reverse = "top:%d middle:%d base:%d ";
    static const struct {
        enum stasis_event event;
        int reversed;
    } events[] = {
        {STASIS_EVENT_PRECHECKPOINT, 0}, {STASIS_EVENT_FORK_CHILD, 0}, {STASIS_EVENT_EXEC, 0},
        {STASIS_EVENT_SPAWN, 0},         {STASIS_EVENT_RESUME, 1},     {STASIS_EVENT_RESTART, 1},
        {STASIS_EVENT_REFILL, 1},        {STASIS_EVENT_EXIT, 1},
    };
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        char expected[128];
        int e = (int)events[i].event;
        snprintf(expected, sizeof expected, events[i].reversed ? reverse : in_order, e, e, e);
        dispatch_and_expect(events[i].event, expected);
    }

    /* "not mine" is no error: the next plugin is still called */
    dispatch_test.not_mine_id = "middle";
    dispatch_and_expect(STASIS_EVENT_PRECHECKPOINT, "base:1 middle:1 top:1 ");
    dispatch_test.not_mine_id = NULL;

    /* a failure stops the dispatch there and names the plugin */
    dispatch_test.fail_id = "middle";
    dispatch_test.trace[0] = 0;
    const char *failed = NULL;
    int r = plugins_dispatch(STASIS_EVENT_RESTART, 7, &failed);
    CHECK(r == -EIO, "a failing RESTART returns its error, not %d", r);
    CHECK(failed && strcmp(failed, "middle") == 0, "the failing plugin is named: %s", failed ? failed : "-");
    CHECK(strcmp(dispatch_test.trace, "top:4 middle:4 ") == 0, "nothing after the failure: %s",
          dispatch_test.trace);
    dispatch_test.fail_id = NULL;

    /* a version 1 fragment still loads, and declares nothing */
    CHECK(stasis_plugin_register(&old) == 0, "a version 1 fragment registers");
    CHECK(strcmp(plugins_owner(STASIS_RESOURCE_SOCKET), "middle") == 0, "the old one's tail is not read");
    CHECK(plugins_count() == 4, "four plugins, not %d", plugins_count());
    return check_report("dispatch order");
}
