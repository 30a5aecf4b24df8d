/* Reports: every operation, interactive or from a job, leaves a JSON record
 * (what, when, which disk/partition, image ID and digest, bytes, duration,
 * throughput, result, error) in a logs folder or POSTed to an http:// URL.
 * The JSON is documented in README.md ("Reports"). */
#ifndef LIFEBOAT_REPORT_H
#define LIFEBOAT_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "lifeboat/strbuf.h"

/* One operation: a job step or an interactive action. */
struct lb_report_op {
	char what[32];          /* "restore", "capture", "shell", ... */
	unsigned job_line;      /* line in the job file, 0 when interactive */
	char detail[1024];      /* the step as written, expanded */
	char source[512];       /* disk, partition or image read */
	char target[512];       /* disk or partition written */
	char image[512];        /* image file or URL */
	char image_id[64];      /* the image's UUID */
	char digest[160];       /* the image's digest, "ALGO:HEX" */
	uint64_t bytes;         /* bytes read from the image or written to it */
	double started;         /* seconds since the epoch */
	double duration;        /* seconds */
	char result[16];        /* "success", "failed", "skipped", "not run", "cancelled" */
	char error[512];
};

struct lb_report {
	char what[32];          /* "job" or the operation's name */
	char job[512];          /* job file or URL, "" when interactive */
	char mac[18];           /* the machine: first MAC, DMI serial */
	char serial[128];
	double started;
	double finished;
	char result[16];
	char error[512];
	unsigned op_count;
	struct lb_report_op *ops;
};

/* A new report for what, started now. */
struct lb_report *lb_report_new(const char *what);
void lb_report_free(struct lb_report *report);

/* Adds an operation, started now; NULL when out of memory (message set). */
struct lb_report_op *lb_report_add_op(struct lb_report *report, const char *what);
/* Ends an operation: duration from its start, result from rc (message = the
 * current error when rc < 0; LB_E_CANCELLED gives "cancelled"). */
void lb_report_op_end(struct lb_report_op *op, int rc);
/* Marks an operation that did not run ("skipped" or "not run"). */
void lb_report_op_mark(struct lb_report_op *op, const char *result);
/* Sets image_id from an image's 16-byte UUID (canonical lower-case text). */
void lb_report_set_image_id(struct lb_report_op *op, const uint8_t uuid[16]);
/* Ends the report: "success" when rc == 0, else "failed" with the message. */
void lb_report_end(struct lb_report *report, int rc, const char *error);

/* The report as JSON (one object). */
void lb_report_to_json(const struct lb_report *report, struct lb_strbuf *out);

/* Saves the report: dest is a folder (created if missing; the file is
 * named lifeboat-YYYYmmdd-HHMMSS-WHAT-PID.json) or an http:// URL (POSTed).
 * *where, if not NULL, receives the file path or URL (caller frees). */
int lb_report_save(const struct lb_report *report, const char *dest, char **where);

/* The summary of a saved report, for listings. */
struct lb_report_summary {
	char file[512];
	char what[32];
	char started[32];       /* "YYYY-mm-dd HH:MM:SS" UTC */
	char result[16];
	char error[512];
	unsigned operations;
	uint64_t bytes;
};

/* Reads the reports in dir (lifeboat-*.json), oldest first. A file that is
 * not a valid report is listed with result "unreadable". */
int lb_report_list(const char *dir, struct lb_report_summary **out, unsigned *count);

#endif
