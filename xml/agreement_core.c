/*-------------------------------------------------------------------------
 *
 * agreement_core.c
 *	  Parse, validate and take apart a mentorship agreement document, on
 *	  libxml2 alone (see agreement_core.h).
 *
 * The document is read by xml_reader.c (no DTD, no network, bounded
 * markup); here it is validated and taken apart.  Every loop over
 * agreements is linear and polls the caller's should_stop; at most
 * MENTOR_XML_MAX_PROBLEMS problems are kept, each with clipped values.  A
 * failed allocation ends the parse as MENTOR_XML_NOMEM with everything
 * freed: this code runs inside a database server, where ending the process
 * would restart every connection.
 *
 * xml/agreement_core.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>

#include "agreement_core.h"

#define Max2(a, b) ((a) > (b) ? (a) : (b))

typedef struct ParseState
{
	MentorAgreementDocument *out;
} ParseState;

/* keep the first MENTOR_XML_MAX_PROBLEMS problems; count them all */
static bool
keeps_problem(MentorAgreementDocument *out)
{
	return out->nproblems < MENTOR_XML_MAX_PROBLEMS;
}

static void
add_problem(MentorAgreementDocument *out, int line, const char *number,
			const char *message)
{
	MentorXmlProblem *p;

	out->nproblems_total++;
	if (!keeps_problem(out))
		return;
	if (out->problems == NULL)
	{
		out->problems = calloc(MENTOR_XML_MAX_PROBLEMS, sizeof(MentorXmlProblem));
		if (out->problems == NULL)
		{
			mentor_xml_note_out_of_memory();
			return;
		}
	}
	p = &out->problems[out->nproblems++];
	p->line = line;
	p->number = mentor_xml_clip(number, MENTOR_XML_MAX_VALUE_BYTES);
	p->message = mentor_xml_message(message);
}

static bool
is_ours(xmlNodePtr node, const char *name)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
		node->ns != NULL &&
		xmlStrEqual(node->ns->href, BAD_CAST MENTOR_AGREEMENT_NS) &&
		xmlStrEqual(node->name, BAD_CAST name);
}

/* the <agreement> a node lies in, or NULL */
static xmlNodePtr
agreement_of(xmlNodePtr node)
{
	for (; node != NULL && node->type != XML_DOCUMENT_NODE; node = node->parent)
		if (is_ours(node, "agreement"))
			return node;
	return NULL;
}


static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr	c;

	for (c = parent ? parent->children : NULL; c != NULL; c = c->next)
		if (is_ours(c, name))
			return c;
	return NULL;
}


/*
 * Schema errors: each is a problem, and marks its <agreement> (through the
 * node's _private, which nothing else here uses) so that take_apart knows
 * it in constant time.
 */
static void
schema_error(void *arg, MentorXmlError error)
{
	ParseState *st = (ParseState *) arg;
	xmlNodePtr	agreement = agreement_of((xmlNodePtr) error->node);
	char	   *number = NULL;

	if (error->code == XML_ERR_NO_MEMORY)
		mentor_xml_note_out_of_memory();

	if (agreement != NULL)
	{
		agreement->_private = st;
		if (keeps_problem(st->out))
			number = mentor_xml_attribute(agreement, "number");
	}
	add_problem(st->out, error->line, number, error->message);
	free(number);
}

/* output callbacks of serialize: a growing malloc'd buffer */
typedef struct OutBuffer
{
	char	   *data;
	size_t		len;
	size_t		size;
} OutBuffer;

static int
out_write(void *ctx, const char *buf, int len)
{
	OutBuffer  *b = (OutBuffer *) ctx;

	if (b->len + len + 1 > b->size)
	{
		size_t		size = Max2(b->size * 2, b->len + len + 1);
		char	   *data = realloc(b->data, size);

		if (data == NULL)
			return -1;
		b->data = data;
		b->size = size;
	}
	memcpy(b->data + b->len, buf, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

static int
out_close(void *ctx)
{
	return 0;
}

/*
 * The element as XML text, the way xmlNodeDump writes it (no encoding:
 * characters outside ASCII as references), through libxml2's save API into
 * our own buffer: under memory pressure xmlBuffer's error path in libxml2
 * 2.9 freed twice.
 */
static char *
serialize(xmlDocPtr doc, xmlNodePtr node)
{
	OutBuffer	b = {NULL, 0, 0};
	xmlSaveCtxtPtr save = xmlSaveToIO(out_write, out_close, &b, NULL, 0);
	bool		ok;

	if (save == NULL)
	{
		mentor_xml_note_out_of_memory();
		return NULL;
	}
	ok = xmlSaveTree(save, node) >= 0;
	if (xmlSaveClose(save) < 0)
		ok = false;
	if (!ok || b.data == NULL)
	{
		free(b.data);
		mentor_xml_note_out_of_memory();
		return NULL;
	}
	return b.data;
}

static void
take_apart(ParseState *st, xmlDocPtr doc, xmlNodePtr node)
{
	MentorAgreementDocument *out = st->out;
	MentorAgreementForm *f;
	xmlNodePtr	bonus = child(node, "bonus");
	xmlNodePtr	signatories = child(node, "signatories");

	/* a rejected agreement is only counted: its problems say the rest */
	if (node->_private != NULL)
	{
		out->nrejected++;
		return;
	}
	if (out->nforms == out->formsize)
	{
		int			size = out->formsize ? out->formsize * 2 : 16;
		MentorAgreementForm *forms = realloc(out->forms, size * sizeof(MentorAgreementForm));

		if (forms == NULL)
		{
			mentor_xml_note_out_of_memory();
			return;
		}
		out->forms = forms;
		out->formsize = size;
	}
	f = &out->forms[out->nforms++];
	memset(f, 0, sizeof(MentorAgreementForm));
	f->line = xmlGetLineNo(node);
	f->schema_ok = true;
	f->number = mentor_xml_attribute(node, "number");
	f->personnel_no = mentor_xml_attribute(child(node, "mentor"), "personnelNo");
	f->replaces = mentor_xml_attribute(child(node, "replaces"), "number");
	f->signed_on = mentor_xml_text(child(node, "signedOn"));
	f->valid_from = mentor_xml_text(child(node, "validFrom"));
	f->valid_to = mentor_xml_text(child(node, "validTo"));
	f->bonus_kind = mentor_xml_attribute(bonus, "kind");
	f->bonus_amount = mentor_xml_text(bonus);
	f->currency = mentor_xml_attribute(bonus, "currency");
	f->max_mentees = mentor_xml_text(child(node, "maxMentees"));
	f->employer_name = mentor_xml_attribute(child(signatories, "employer"), "name");
	f->employer_position = mentor_xml_attribute(child(signatories, "employer"), "position");
	f->employee_name = mentor_xml_attribute(child(signatories, "employee"), "name");
	f->xml = serialize(doc, node);
}

static int
compare_numbers(const void *a, const void *b)
{
	const MentorAgreementForm *x = *(MentorAgreementForm *const *) a;
	const MentorAgreementForm *y = *(MentorAgreementForm *const *) b;
	int			c = strcmp(x->number ? x->number : "", y->number ? y->number : "");

	return c != 0 ? c : x->line - y->line;
}

/* a number used twice in one document: every later use is a problem */
static void
find_duplicates(MentorAgreementDocument *out)
{
	MentorAgreementForm **sorted;
	int			i;

	if (out->nforms < 2)
		return;
	sorted = malloc(out->nforms * sizeof(MentorAgreementForm *));
	if (sorted == NULL)
	{
		mentor_xml_note_out_of_memory();
		return;
	}
	for (i = 0; i < out->nforms; i++)
		sorted[i] = &out->forms[i];
	qsort(sorted, out->nforms, sizeof(MentorAgreementForm *), compare_numbers);
	for (i = 1; i < out->nforms; i++)
	{
		MentorAgreementForm *prev = sorted[i - 1];
		MentorAgreementForm *cur = sorted[i];

		if (prev->number && cur->number && strcmp(prev->number, cur->number) == 0)
		{
			char		message[200];

			snprintf(message, sizeof(message),
					 "agreement number appears more than once in the document (first on line %d)",
					 sorted[i - 1]->line);
			add_problem(out, cur->line, cur->number, message);
			cur->schema_ok = false;
		}
	}
	free(sorted);
}


/* validate the tree and take its agreements apart into st->out */
static void
take_apart_document(ParseState *st, xmlDocPtr doc, xmlSchemaPtr schema,
					MentorXmlStop should_stop)
{
	MentorAgreementDocument *out = st->out;
	xmlNodePtr	root = xmlDocGetRootElement(doc);

	if (!mentor_xml_validate(doc, schema, should_stop, schema_error, st, &out->outcome))
		return;
	if (is_ours(root, "agreement"))
		take_apart(st, doc, root);
	else if (is_ours(root, "agreements"))
	{
		xmlNodePtr	c;

		for (c = root->children; c != NULL && !mentor_xml_out_of_memory(); c = c->next)
		{
			if (should_stop != NULL && should_stop())
			{
				out->outcome.failure = MENTOR_XML_INTERRUPTED;
				return;
			}
			if (is_ours(c, "agreement"))
				take_apart(st, doc, c);
		}
	}
	if (!mentor_xml_out_of_memory())
		find_duplicates(out);
}

/*
 * Parse data (len bytes) in the given encoding (NULL: as declared, or by
 * byte order mark), validate it against schema and take its agreements
 * apart into *out, which the caller frees with mentor_free_agreements.
 * should_stop (may be NULL) is polled between agreements.  On any failure
 * out holds no agreements and no problems, only the outcome.
 */
void
mentor_parse_agreements(const char *data, size_t len, const char *encoding,
						xmlSchemaPtr schema, MentorXmlStop should_stop,
						MentorAgreementDocument *out)
{
	ParseState	st;
	xmlDocPtr	doc;
	MentorXmlOutcome kept;

	memset(out, 0, sizeof(MentorAgreementDocument));
	st.out = out;
	doc = mentor_xml_read(data, len, encoding, 0, &out->outcome);
	if (doc == NULL)
		return;
	take_apart_document(&st, doc, schema, should_stop);
	xmlFreeDoc(doc);

	if (mentor_xml_failed(&out->outcome, &kept))
	{
		mentor_free_agreements(out);
		out->outcome = kept;
	}
}

void
mentor_free_agreements(MentorAgreementDocument *doc)
{
	int			i;

	for (i = 0; i < doc->nforms; i++)
	{
		MentorAgreementForm *f = &doc->forms[i];

		free(f->number);
		free(f->personnel_no);
		free(f->replaces);
		free(f->signed_on);
		free(f->valid_from);
		free(f->valid_to);
		free(f->bonus_kind);
		free(f->bonus_amount);
		free(f->currency);
		free(f->max_mentees);
		free(f->employer_name);
		free(f->employer_position);
		free(f->employee_name);
		free(f->xml);
	}
	for (i = 0; i < doc->nproblems; i++)
	{
		free(doc->problems[i].number);
		free(doc->problems[i].message);
	}
	free(doc->forms);
	free(doc->problems);
	free(doc->outcome.message);
	memset(doc, 0, sizeof(MentorAgreementDocument));
}
