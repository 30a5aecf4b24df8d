/* Job parser and checker: settings, variables, machine tables, conditions
 * and steps. Everything is checked, and every template expanded, before a
 * job is handed to the runner, so a bad job never runs a single step. */
#include "lifeboat/job.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "job_lines.h"
#include "job_steps.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

struct parser {
	const char *path;
	const struct lb_job_facts *facts;
	struct lb_job *job;
	char **vars;              /* name, value, ..., NULL */
	unsigned var_count;
	const struct lb_job_line *machine;   /* the row that matched, or NULL */
	struct lb_job_arg *machine_cols;
	char **produced;          /* images written and folders mounted by earlier steps */
	unsigned produced_count;
};

static int __attribute__((format(printf, 3, 4)))
line_error(const struct parser *p, unsigned line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return lb_fail(LB_E_INVALID, "%s:%u: %s", p->path, line, msg);
}

static char *expand(struct parser *p, unsigned line, const char *text)
{
	char *value = lb_job_expand(text, p->facts, p->vars, p->machine_cols,
				    p->machine ? p->machine->count - 1 : 0);
	if (!value)
		lb_fail_context(LB_E_INVALID, "%s:%u", p->path, line);
	return value;
}

static bool is_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* --- machine tables --------------------------------------------------- */

static bool machine_row_matches(const struct lb_job_facts *f, const char *key, const char *value)
{
	if (strcmp(key, "serial") == 0)
		return f->serial[0] && strcmp(f->serial, value) == 0;
	for (unsigned i = 0; i < f->mac_count; i++)
		if (strcasecmp(f->macs[i], value) == 0)
			return true;
	return false;
}

static bool is_mac(const char *s)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' && s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Checks a "machine mac=...|serial=... COLUMN=VALUE..." row; returns 1 if it
 * names this machine, 0 if not, or an error. */
static int check_machine_row(struct parser *p, const struct lb_job_line *l)
{
	const char *key = NULL, *value = NULL;
	for (unsigned i = 1; i < l->count; i++) {
		const struct lb_job_token *t = &l->tokens[i];
		if (t->eq <= 0)
			return line_error(p, l->number, "machine: expected COLUMN=VALUE, got '%s'", t->text);
		for (unsigned j = 1; j < i; j++)
			if (strncmp(l->tokens[j].text, t->text, (size_t)t->eq + 1) == 0)
				return line_error(p, l->number, "machine: column '%.*s' given twice", t->eq, t->text);
		if (strncmp(t->text, "mac=", 4) == 0 || strncmp(t->text, "serial=", 7) == 0) {
			if (key)
				return line_error(p, l->number, "machine: give either mac= or serial=, not both");
			key = t->text[0] == 'm' ? "mac" : "serial";
			value = t->text + t->eq + 1;
		}
	}
	if (!key)
		return line_error(p, l->number, "machine: a row needs mac= or serial= to say which machine it is");
	if (strcmp(key, "mac") == 0 && !is_mac(value))
		return line_error(p, l->number, "machine: '%s' is not a MAC address (like 52:54:00:12:34:56)", value);
	if (l->count < 3)
		return line_error(p, l->number, "machine: the row gives no value (e.g. name=PC-01 disk=/dev/sda)");
	char normalised[18];
	if (strcmp(key, "mac") == 0) {
		for (int i = 0; i < 17; i++)
			normalised[i] = value[i] == '-' ? ':' : value[i];
		normalised[17] = '\0';
		value = normalised;
	}
	return machine_row_matches(p->facts, key, value) ? 1 : 0;
}

static int select_machine(struct parser *p, const struct lb_job_line *lines, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		const struct lb_job_line *l = &lines[i];
		if (strcmp(l->tokens[0].text, "machine") != 0)
			continue;
		int rc = check_machine_row(p, l);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		if (p->machine)
			return line_error(p, l->number, "machine rows at lines %u and %u both match this machine",
					  p->machine->number, l->number);
		p->machine = l;
	}
	if (!p->machine)
		return 0;
	p->job->machine_line = (int)p->machine->number;
	p->machine_cols = calloc(p->machine->count - 1, sizeof *p->machine_cols);
	if (!p->machine_cols)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (unsigned i = 1; i < p->machine->count; i++) {
		struct lb_job_token *t = &p->machine->tokens[i];
		p->machine_cols[i - 1].key = strndup(t->text, (size_t)t->eq);
		p->machine_cols[i - 1].value = strdup(t->text + t->eq + 1);
		if (!p->machine_cols[i - 1].key || !p->machine_cols[i - 1].value)
			return lb_fail(LB_E_NOMEM, "out of memory");
	}
	return 0;
}

/* --- settings and variables ------------------------------------------- */

/* Splits "NAME = VALUE" or "NAME=VALUE" starting at token first. */
static int split_assignment(struct parser *p, const struct lb_job_line *l, unsigned first,
			    char **name, const char **value)
{
	const struct lb_job_token *t = &l->tokens[first];
	unsigned rest = l->count - first;
	if (t->eq > 0 && rest == 1) {
		*name = strndup(t->text, (size_t)t->eq);
		*value = t->text + t->eq + 1;
	} else if (rest == 3 && strcmp(l->tokens[first + 1].text, "=") == 0) {
		*name = strdup(t->text);
		*value = l->tokens[first + 2].text;
	} else {
		return line_error(p, l->number, "expected NAME = VALUE");
	}
	return *name ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

static const char *const builtin_templates[] = {
	"MAC", "MAC_PLAIN", "SERIAL", "VENDOR", "PRODUCT", "YEAR", "MONTH", "DAY",
	"HOUR", "MINUTE", "SECOND", "DATE", "TIME", NULL,
};

static int define_variable(struct parser *p, const struct lb_job_line *l)
{
	char *name;
	const char *raw;
	if (l->count < 2)
		return line_error(p, l->number, "set: expected set NAME = VALUE");
	int rc = split_assignment(p, l, 1, &name, &raw);
	if (rc < 0)
		return rc;
	if (!is_identifier(name))
		rc = line_error(p, l->number, "set: '%s' is not a valid variable name", name);
	for (const char *const *b = builtin_templates; rc == 0 && *b; b++)
		if (strcmp(*b, name) == 0)
			rc = line_error(p, l->number, "set: %s is a built-in template and cannot be set", name);
	for (unsigned i = 0; rc == 0 && i < p->var_count; i++)
		if (strcmp(p->vars[2 * i], name) == 0)
			rc = line_error(p, l->number, "set: variable %s is already set", name);
	char *value = NULL;
	char **vars = NULL;
	if (rc == 0 && !(value = expand(p, l->number, raw)))
		rc = LB_E_INVALID;
	if (rc == 0 && !(vars = realloc(p->vars, (2 * p->var_count + 3) * sizeof *vars)))
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc < 0) {
		free(name);
		free(value);
		return rc;
	}
	p->vars = vars;
	vars[2 * p->var_count] = name;
	vars[2 * p->var_count + 1] = value;
	vars[2 * ++p->var_count] = NULL;
	return 0;
}

static int apply_setting(struct parser *p, const struct lb_job_line *l)
{
	char *name;
	const char *raw;
	int rc = split_assignment(p, l, 0, &name, &raw);
	if (rc < 0)
		return rc;
	if (strcmp(name, "stop_at_error") == 0) {
		if (strcmp(raw, "yes") == 0)
			p->job->stop_at_error = true;
		else if (strcmp(raw, "no") == 0)
			p->job->stop_at_error = false;
		else
			rc = line_error(p, l->number, "stop_at_error must be yes or no, not '%s'", raw);
	} else if (strcmp(name, "report") == 0) {
		if (p->job->report)
			rc = line_error(p, l->number, "report is set twice");
		else if (!(p->job->report = expand(p, l->number, raw)))
			rc = LB_E_INVALID;
		else if (!*p->job->report)
			rc = line_error(p, l->number, "report needs a folder or an http:// URL");
	} else {
		rc = line_error(p, l->number,
				"unknown setting '%s' (settings: stop_at_error, report; variables: set NAME = VALUE)", name);
	}
	free(name);
	return rc;
}

/* --- step parameters --------------------------------------------------- */

static bool path_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Whether path is an image an earlier step writes, or lies in a folder an
 * earlier step mounts: it cannot be checked before the job runs. */
static bool produced_earlier(const struct parser *p, const char *path)
{
	for (unsigned i = 0; i < p->produced_count; i++) {
		size_t n = strlen(p->produced[i]);
		if (strncmp(p->produced[i], path, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

static int note_produced(struct parser *p, const char *path)
{
	char **grown = realloc(p->produced, (p->produced_count + 1) * sizeof *grown);
	if (!grown)
		return lb_fail(LB_E_NOMEM, "out of memory");
	p->produced = grown;
	if (!(grown[p->produced_count] = strdup(path)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	p->produced_count++;
	return 0;
}

/* An existing device or file, or "PATH:N" naming partition N of one. */
static bool target_exists(const char *value)
{
	if (path_exists(value))
		return true;
	const char *colon = strrchr(value, ':');
	if (!colon || !colon[1] || colon == value)
		return false;
	for (const char *c = colon + 1; *c; c++)
		if (!isdigit((unsigned char)*c))
			return false;
	char *base = strndup(value, (size_t)(colon - value));
	bool found = base && path_exists(base);
	free(base);
	return found;
}

static bool folder_of_exists(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return true;
	if (slash == path)
		return true;
	char *dir = strndup(path, (size_t)(slash - path));
	struct stat st;
	bool ok = dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	free(dir);
	return ok;
}

static int check_value(struct parser *p, const struct lb_job_step *s, const struct lb_job_param *param,
		       const char *value)
{
	const char *step = s->ops->name;
	bool check_files = !s->cond_static_false;
	switch (param->type) {
	case LB_JOB_PARAM_TEXT:
		if (!*value)
			return line_error(p, s->line, "%s: %s= is empty", step, param->key);
		return 0;
	case LB_JOB_PARAM_BOOL:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return line_error(p, s->line, "%s: %s= must be yes or no, not '%s'", step, param->key, value);
		return 0;
	case LB_JOB_PARAM_NUMBER:
		if (!*value || strspn(value, "0123456789") != strlen(value) || strtoull(value, NULL, 10) == 0)
			return line_error(p, s->line, "%s: %s= must be a number above 0, not '%s'", step, param->key, value);
		return 0;
	case LB_JOB_PARAM_IMAGE_IN:
		if (check_files && !produced_earlier(p, value) && !path_exists(value))
			return line_error(p, s->line, "%s: image '%s' not found", step, value);
		return 0;
	case LB_JOB_PARAM_IMAGE_OUT:
		if (check_files && !produced_earlier(p, value) && !folder_of_exists(value))
			return line_error(p, s->line, "%s: the folder of '%s' does not exist", step, value);
		return note_produced(p, value);
	case LB_JOB_PARAM_TARGET:
		if (check_files && !produced_earlier(p, value) && !target_exists(value))
			return line_error(p, s->line, "%s: %s '%s' not found", step, param->key, value);
		return 0;
	case LB_JOB_PARAM_MOUNT_POINT:
		if (value[0] != '/')
			return line_error(p, s->line, "%s: %s= must be an absolute path, not '%s'", step, param->key, value);
		return note_produced(p, value);
	case LB_JOB_PARAM_PATH_IN:
		if (check_files && !produced_earlier(p, value) && !path_exists(value))
			return line_error(p, s->line, "%s: %s '%s' not found", step, param->key, value);
		return 0;
	}
	return 0;
}

static const struct lb_job_param *find_param(const struct lb_job_step_ops *ops, const char *key, size_t len)
{
	for (const struct lb_job_param *q = ops->params; q->key; q++)
		if (strlen(q->key) == len && strncmp(q->key, key, len) == 0)
			return q;
	return NULL;
}

static int add_arg(struct lb_job_step *s, const char *key, size_t key_len, char *value)
{
	struct lb_job_arg *args = realloc(s->args, (s->argc + 1) * sizeof *args);
	if (!args) {
		free(value);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	s->args = args;
	args[s->argc].value = value;
	if (!(args[s->argc].key = strndup(key, key_len))) {
		free(value);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	s->argc++;
	return 0;
}

static int parse_params(struct parser *p, const struct lb_job_line *l, unsigned first, struct lb_job_step *s)
{
	const struct lb_job_step_ops *ops = s->ops;
	for (unsigned i = first; i < l->count; i++) {
		const struct lb_job_token *t = &l->tokens[i];
		if (t->eq <= 0)
			return line_error(p, l->number, "%s: expected KEY=VALUE, got '%s'", ops->name, t->text);
		const struct lb_job_param *param = find_param(ops, t->text, (size_t)t->eq);
		if (!param)
			return line_error(p, l->number, "%s: unknown parameter '%.*s'", ops->name, t->eq, t->text);
		if (!param->repeat && lb_job_step_arg(s, param->key))
			return line_error(p, l->number, "%s: %s= given twice", ops->name, param->key);
		char *value = expand(p, l->number, t->text + t->eq + 1);
		if (!value)
			return LB_E_INVALID;
		int rc = add_arg(s, t->text, (size_t)t->eq, value);
		if (rc == 0)
			rc = check_value(p, s, param, value);
		if (rc < 0)
			return rc;
	}
	for (const struct lb_job_param *q = ops->params; q->key; q++)
		if (q->required && !lb_job_step_arg(s, q->key))
			return line_error(p, l->number, "%s: missing %s=", ops->name, q->key);
	return 0;
}

/* --- conditions and steps --------------------------------------------- */

/* Reads "if ... then" at the start of l; *first is set to the step's token. */
static int parse_condition(struct parser *p, const struct lb_job_line *l, struct lb_job_step *s, unsigned *first)
{
	unsigned then = 0;
	for (unsigned i = 1; i < l->count && !then; i++)
		if (strcmp(l->tokens[i].text, "then") == 0)
			then = i;
	if (!then)
		return line_error(p, l->number, "if: missing 'then'");
	if (then + 1 >= l->count)
		return line_error(p, l->number, "if: no step after 'then'");
	*first = then + 1;
	const struct lb_job_token *t = l->tokens;
	if (then == 2 && strcmp(t[1].text, "failed") == 0) {
		s->cond = LB_JOB_IF_FAILED;
		return 0;
	}
	if (then == 3 && strcmp(t[1].text, "exists") == 0) {
		s->cond = LB_JOB_IF_EXISTS;
		s->cond_path = expand(p, l->number, t[2].text);
		return s->cond_path ? 0 : LB_E_INVALID;
	}
	if (then == 4 && (strcmp(t[2].text, "==") == 0 || strcmp(t[2].text, "!=") == 0)) {
		char *a = expand(p, l->number, t[1].text);
		char *b = a ? expand(p, l->number, t[3].text) : NULL;
		if (!b) {
			free(a);
			return LB_E_INVALID;
		}
		s->cond = t[2].text[0] == '=' ? LB_JOB_IF_EQUAL : LB_JOB_IF_NOT_EQUAL;
		s->cond_static_false = (strcmp(a, b) == 0) != (s->cond == LB_JOB_IF_EQUAL);
		free(a);
		free(b);
		return 0;
	}
	return line_error(p, l->number, "if: expected 'if A == B then', 'if A != B then', "
			  "'if exists PATH then' or 'if failed then'");
}

static int parse_step(struct parser *p, const struct lb_job_line *l)
{
	struct lb_job_step *steps = realloc(p->job->steps, (p->job->step_count + 1) * sizeof *steps);
	if (!steps)
		return lb_fail(LB_E_NOMEM, "out of memory");
	p->job->steps = steps;
	struct lb_job_step *s = &steps[p->job->step_count++];
	memset(s, 0, sizeof *s);
	s->line = l->number;
	unsigned first = 0;
	if (strcmp(l->tokens[0].text, "if") == 0) {
		int rc = parse_condition(p, l, s, &first);
		if (rc < 0)
			return rc;
	}
	const char *name = l->tokens[first].text;
	s->ops = lb_job_find_step(name);
	if (!s->ops)
		return line_error(p, l->number, "unknown step '%s' (steps: %s)", name, lb_job_step_names());
	if (!s->ops->takes_command)
		return parse_params(p, l, first + 1, s);
	const char *rest = l->raw + l->tokens[first].raw_end;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (!*rest)
		return line_error(p, l->number, "%s: no command given", s->ops->name);
	s->command = expand(p, l->number, rest);
	return s->command ? 0 : LB_E_INVALID;
}

static bool is_setting(const struct lb_job_line *l)
{
	return (l->count == 1 && l->tokens[0].eq > 0) || (l->count >= 2 && strcmp(l->tokens[1].text, "=") == 0);
}

static int parse_lines(struct parser *p, const struct lb_job_line *lines, unsigned count)
{
	int rc = select_machine(p, lines, count);
	for (unsigned i = 0; rc == 0 && i < count; i++) {
		const struct lb_job_line *l = &lines[i];
		const char *word = l->tokens[0].text;
		if (strcmp(word, "machine") == 0)
			continue;
		if (strcmp(word, "set") == 0)
			rc = define_variable(p, l);
		else if (is_setting(l))
			rc = apply_setting(p, l);
		else
			rc = parse_step(p, l);
	}
	if (rc == 0 && p->job->step_count == 0)
		rc = lb_fail(LB_E_INVALID, "%s: the job has no steps", p->path);
	return rc;
}

static void free_args(struct lb_job_arg *args, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		free(args[i].key);
		free(args[i].value);
	}
	free(args);
}

int lb_job_parse(const char *path, const char *text, size_t len,
		 const struct lb_job_facts *facts, struct lb_job **out)
{
	*out = NULL;
	struct lb_job_line *lines;
	unsigned count;
	int rc = lb_job_split_lines(path, text, len, &lines, &count);
	if (rc < 0)
		return rc;
	struct lb_job *job = calloc(1, sizeof *job);
	struct parser p = { .path = path, .facts = facts, .job = job };
	if (!job || !(job->path = strdup(path))) {
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	} else {
		job->stop_at_error = true;
		rc = parse_lines(&p, lines, count);
	}
	if (p.machine_cols)
		free_args(p.machine_cols, p.machine->count - 1);
	lb_job_free_lines(lines, count);
	for (unsigned i = 0; i < 2 * p.var_count; i++)
		free(p.vars[i]);
	free(p.vars);
	for (unsigned i = 0; i < p.produced_count; i++)
		free(p.produced[i]);
	free(p.produced);
	if (rc < 0) {
		lb_job_free(job);
		return rc;
	}
	*out = job;
	return 0;
}

int lb_job_load(const char *path, const struct lb_job_facts *facts, struct lb_job **out)
{
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = lb_strbuf_read_file(&text, path, 1u << 20);
	if (rc == 0)
		rc = lb_job_parse(path, lb_strbuf_str(&text), text.len, facts, out);
	lb_strbuf_free(&text);
	return rc;
}

void lb_job_free(struct lb_job *job)
{
	if (!job)
		return;
	for (unsigned i = 0; i < job->step_count; i++) {
		free_args(job->steps[i].args, job->steps[i].argc);
		free(job->steps[i].cond_path);
		free(job->steps[i].command);
	}
	free(job->steps);
	free(job->report);
	free(job->path);
	free(job);
}

const char *lb_job_step_arg(const struct lb_job_step *step, const char *key)
{
	for (unsigned i = 0; i < step->argc; i++)
		if (strcmp(step->args[i].key, key) == 0)
			return step->args[i].value;
	return NULL;
}

const char *lb_job_step_name(const struct lb_job_step *step)
{
	return step->ops->name;
}

char *lb_job_step_describe(const struct lb_job_step *step)
{
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	lb_strbuf_puts(&sb, step->ops->name);
	for (unsigned i = 0; i < step->argc; i++)
		lb_strbuf_printf(&sb, " %s=%s", step->args[i].key, step->args[i].value);
	if (step->command)
		lb_strbuf_printf(&sb, " %s", step->command);
	if (sb.failed) {
		lb_strbuf_free(&sb);
		return NULL;
	}
	return sb.data;
}
