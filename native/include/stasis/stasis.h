/* In-program API: a program may ask whether it runs under Stasis. The function is
 * declared weak, so a program built with it runs without Stasis too:
 *
 *     if (stasis_is_enabled && stasis_is_enabled()) …
 */
#ifndef STASIS_H
#define STASIS_H

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when the process runs under Stasis and is connected to a coordinator. */
int stasis_is_enabled(void) __attribute__((weak));

#ifdef __cplusplus
}
#endif
#endif
