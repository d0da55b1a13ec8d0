/* A minimal assertion kit for the C unit tests: count failures, report each. */
#ifndef STASIS_CHECK_H
#define STASIS_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            check_failures++;                                         \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

static inline int check_report(const char *suite)
{
    if (check_failures)
        fprintf(stderr, "%s: %d failure(s)\n", suite, check_failures);
    else
        printf("%s: ok\n", suite);
    return check_failures ? 1 : 0;
}

#endif
