/* Reports: collecting operations and their outcome, and writing them as
 * JSON into a logs folder or POSTing them to an http:// URL. */
#include "lifeboat/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "lifeboat/http.h"
#include "lifeboat/json.h"
#include "lifeboat/paths.h"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct lb_report *lb_report_new(const char *what)
{
	struct lb_report *r = calloc(1, sizeof *r);
	if (!r) {
		lb_fail(LB_E_NOMEM, "out of memory");
		return NULL;
	}
	snprintf(r->what, sizeof r->what, "%s", what);
	r->started = now_seconds();
	return r;
}

void lb_report_free(struct lb_report *report)
{
	if (!report)
		return;
	free(report->ops);
	free(report);
}

struct lb_report_op *lb_report_add_op(struct lb_report *report, const char *what)
{
	struct lb_report_op *ops = realloc(report->ops, (report->op_count + 1) * sizeof *ops);
	if (!ops) {
		lb_fail(LB_E_NOMEM, "out of memory");
		return NULL;
	}
	report->ops = ops;
	struct lb_report_op *op = &ops[report->op_count++];
	memset(op, 0, sizeof *op);
	snprintf(op->what, sizeof op->what, "%s", what);
	op->started = now_seconds();
	return op;
}

void lb_report_op_end(struct lb_report_op *op, int rc)
{
	op->duration = now_seconds() - op->started;
	if (rc == 0) {
		strcpy(op->result, "success");
		return;
	}
	strcpy(op->result, rc == LB_E_CANCELLED ? "cancelled" : "failed");
	snprintf(op->error, sizeof op->error, "%s", lb_error_message());
}

void lb_report_op_mark(struct lb_report_op *op, const char *result)
{
	snprintf(op->result, sizeof op->result, "%s", result);
}

void lb_report_set_image_id(struct lb_report_op *op, const uint8_t uuid[16])
{
	char *p = op->image_id;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", uuid[i]);
	}
}

void lb_report_end(struct lb_report *report, int rc, const char *error)
{
	report->finished = now_seconds();
	snprintf(report->result, sizeof report->result, "%s",
		 rc == 0 ? "success" : rc == LB_E_CANCELLED ? "cancelled" : "failed");
	snprintf(report->error, sizeof report->error, "%s", rc == 0 || !error ? "" : error);
}

static void json_text(struct lb_json *j, const char *key, const char *value)
{
	lb_json_string(j, key, *value ? value : NULL);
}

static void json_time(struct lb_json *j, const char *key, double when)
{
	time_t t = (time_t)when;
	struct tm tm;
	char text[32];
	gmtime_r(&t, &tm);
	strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
	lb_json_string(j, key, text);
}

static void op_to_json(struct lb_json *j, const struct lb_report_op *op)
{
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "what", op->what);
	if (op->job_line)
		lb_json_uint(j, "job_line", op->job_line);
	json_text(j, "detail", op->detail);
	json_text(j, "source", op->source);
	json_text(j, "target", op->target);
	json_text(j, "image", op->image);
	json_text(j, "image_id", op->image_id);
	json_text(j, "digest", op->digest);
	lb_json_uint(j, "bytes", op->bytes);
	if (op->started > 0)
		json_time(j, "started", op->started);
	lb_json_double(j, "duration_s", op->duration);
	lb_json_double(j, "throughput_mb_s", op->duration > 0 ? (double)op->bytes / 1e6 / op->duration : 0);
	lb_json_string(j, "result", op->result);
	json_text(j, "error", op->error);
	lb_json_end_object(j);
}

void lb_report_to_json(const struct lb_report *r, struct lb_strbuf *out)
{
	struct lb_json j;
	lb_json_init(&j, out);
	lb_json_begin_object(&j, NULL);
	lb_json_uint(&j, "lifeboat_report", 1);
	lb_json_string(&j, "what", r->what);
	json_text(&j, "job", r->job);
	lb_json_begin_object(&j, "machine");
	json_text(&j, "mac", r->mac);
	json_text(&j, "serial", r->serial);
	lb_json_end_object(&j);
	json_time(&j, "started", r->started);
	json_time(&j, "finished", r->finished);
	lb_json_double(&j, "duration_s", r->finished > r->started ? r->finished - r->started : 0);
	lb_json_string(&j, "result", r->result);
	json_text(&j, "error", r->error);
	lb_json_begin_array(&j, "operations");
	for (unsigned i = 0; i < r->op_count; i++)
		op_to_json(&j, &r->ops[i]);
	lb_json_end_array(&j);
	lb_json_end_object(&j);
	lb_strbuf_puts(out, "\n");
}

static int write_file(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "cannot write %s", tmp);
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			lb_fail_errno(LB_E_IO, "cannot write %s", tmp);
			close(fd);
			unlink(tmp);
			return LB_E_IO;
		}
		data += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		lb_fail_errno(LB_E_IO, "cannot write %s", tmp);
		unlink(tmp);
		return LB_E_IO;
	}
	if (rename(tmp, path) < 0) {
		lb_fail_errno(LB_E_IO, "cannot rename %s", tmp);
		unlink(tmp);
		return LB_E_IO;
	}
	return 0;
}

static int save_to_folder(const struct lb_report *r, const char *dir, const struct lb_strbuf *json, char **where)
{
	int rc = lb_mkdirs(dir);
	if (rc < 0)
		return rc;
	time_t t = (time_t)r->started;
	struct tm tm;
	char stamp[32];
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	char path[4096];
	snprintf(path, sizeof path, "%s/lifeboat-%s-%s-%ld.json", dir, stamp, r->what, (long)getpid());
	rc = write_file(path, json->data, json->len);
	if (rc == 0 && where && !(*where = strdup(path)))
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	return rc;
}

int lb_report_save(const struct lb_report *report, const char *dest, char **where)
{
	if (where)
		*where = NULL;
	struct lb_strbuf json;
	lb_strbuf_init(&json);
	lb_report_to_json(report, &json);
	int rc;
	if (json.failed) {
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	} else if (strncmp(dest, "http://", 7) == 0) {
		rc = lb_http_post(dest, "application/json", json.data, json.len);
		if (rc < 0)
			lb_fail_context(rc, "sending the report");
		else if (where && !(*where = strdup(dest)))
			rc = lb_fail(LB_E_NOMEM, "out of memory");
	} else {
		rc = save_to_folder(report, dest, &json, where);
	}
	lb_strbuf_free(&json);
	return rc;
}
