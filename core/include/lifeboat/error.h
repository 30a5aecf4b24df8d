/* Error reporting for libcore: functions return 0 or a negative LB_E* code
 * and leave a one-line, human-readable message for the front end to print. */
#ifndef LIFEBOAT_ERROR_H
#define LIFEBOAT_ERROR_H

enum lb_status {
	LB_OK = 0,
	LB_E_IO = -1,        /* read/write/open failed (errno kept in the message) */
	LB_E_NOMEM = -2,
	LB_E_INVALID = -3,   /* malformed or inconsistent input */
	LB_E_UNSUPPORTED = -4,
	LB_E_NOTFOUND = -5,
	LB_E_REFUSED = -6,   /* a safety rule forbids the operation */
	LB_E_TRUNCATED = -7,
	LB_E_CHECKSUM = -8,
	LB_E_CANCELLED = -9,
	LB_E_USAGE = -10,    /* caller passed bad arguments */
};

/* Records the message of the current thread's last error and returns code. */
int lb_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like lb_fail, appending ": strerror(errno)" for the current errno. */
int lb_fail_errno(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the current message with "prefix: " (e.g. the file being read). */
int lb_fail_context(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message recorded by the last failing call on this thread ("" if none). */
const char *lb_error_message(void);

void lb_error_clear(void);

/* Warnings: non-fatal findings a front end should show ("primary GPT header
 * damaged, using the backup"). Collected per thread until taken. */
void lb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns the number of pending warnings and, if out is not NULL, a
 * newly allocated array of strings the caller frees with lb_warnings_free. */
int lb_warnings_take(char ***out);
void lb_warnings_free(char **warnings, int count);

#endif
