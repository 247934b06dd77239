/*-------------------------------------------------------------------------
 *
 * agreement_core.c
 *	  Parse, validate and take apart a mentorship agreement document, on
 *	  libxml2 alone (see agreement_core.h).
 *
 * Hostile input: the document is parsed from memory with network access
 * off and entity substitution off; a DOCTYPE stops the parser the moment
 * it is seen, before any of its declarations are read, so no DTD, entity
 * or external reference is ever processed; libxml2's own depth limit (256)
 * stays in force (no XML_PARSE_HUGE).  Errors are kept with their line
 * numbers and libxml2's message, never the content of anything loaded.
 *
 * xml/agreement_core.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "agreement_core.h"

typedef struct ParseState
{
	MentorAgreementDocument *out;
	bool		dtd;
	int			dtd_line;
	xmlNodePtr *bad;			/* agreement elements with schema errors */
	int			nbad;
	int			badsize;
} ParseState;

static char *
dup_string(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* libxml2's messages end in a newline */
static char *
dup_message(const char *s)
{
	char	   *m = dup_string(s ? s : "unknown error");
	size_t		len = m ? strlen(m) : 0;

	while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
		m[--len] = '\0';
	return m;
}

static void
add_problem(MentorAgreementDocument *out, int line, const char *number,
			const char *message)
{
	MentorXmlProblem *p;

	out->problems = realloc(out->problems,
							(out->nproblems + 1) * sizeof(MentorXmlProblem));
	if (out->problems == NULL)
		abort();
	p = &out->problems[out->nproblems++];
	p->line = line;
	p->number = dup_string(number);
	p->message = dup_message(message);
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

static char *
attribute(xmlNodePtr node, const char *name)
{
	xmlChar    *v;
	char	   *s;

	if (node == NULL)
		return NULL;
	v = xmlGetNoNsProp(node, BAD_CAST name);
	s = dup_string((char *) v);
	xmlFree(v);
	return s;
}

/* the element's text, with surrounding white space removed */
static char *
text(xmlNodePtr node)
{
	xmlChar    *v;
	char	   *start;
	char	   *s;
	size_t		len;

	if (node == NULL)
		return NULL;
	v = xmlNodeGetContent(node);
	if (v == NULL)
		return NULL;
	start = (char *) v;
	while (*start && isspace((unsigned char) *start))
		start++;
	len = strlen(start);
	while (len > 0 && isspace((unsigned char) start[len - 1]))
		len--;
	s = strndup(start, len);
	xmlFree(v);
	return s;
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

/* SAX: a DOCTYPE was seen; stop before its internal subset is read */
static void
reject_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
			   const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr) ctx;
	ParseState *st = (ParseState *) ctxt->_private;

	st->dtd = true;
	st->dtd_line = xmlSAX2GetLineNumber(ctxt);
	xmlStopParser(ctxt);
}

static void
schema_error(void *arg, xmlErrorPtr error)
{
	ParseState *st = (ParseState *) arg;
	xmlNodePtr	agreement = agreement_of((xmlNodePtr) error->node);
	char	   *number = agreement ? attribute(agreement, "number") : NULL;

	add_problem(st->out, error->line, number, error->message);
	free(number);
	if (agreement != NULL)
	{
		if (st->nbad == st->badsize)
		{
			st->badsize = st->badsize ? st->badsize * 2 : 16;
			st->bad = realloc(st->bad, st->badsize * sizeof(xmlNodePtr));
			if (st->bad == NULL)
				abort();
		}
		st->bad[st->nbad++] = agreement;
	}
}

static bool
had_schema_error(ParseState *st, xmlNodePtr agreement)
{
	int			i;

	for (i = 0; i < st->nbad; i++)
		if (st->bad[i] == agreement)
			return true;
	return false;
}

static char *
serialize(xmlDocPtr doc, xmlNodePtr node)
{
	xmlBufferPtr buf = xmlBufferCreate();
	char	   *s;

	if (buf == NULL)
		abort();
	xmlNodeDump(buf, doc, node, 0, 0);
	s = dup_string((const char *) xmlBufferContent(buf));
	xmlBufferFree(buf);
	return s;
}

static void
take_apart(ParseState *st, xmlDocPtr doc, xmlNodePtr node)
{
	MentorAgreementDocument *out = st->out;
	MentorAgreementForm *f;
	xmlNodePtr	bonus = child(node, "bonus");
	xmlNodePtr	signatories = child(node, "signatories");

	out->forms = realloc(out->forms, (out->nforms + 1) * sizeof(MentorAgreementForm));
	if (out->forms == NULL)
		abort();
	f = &out->forms[out->nforms++];
	memset(f, 0, sizeof(MentorAgreementForm));
	f->line = xmlGetLineNo(node);
	f->schema_ok = !had_schema_error(st, node);
	f->number = attribute(node, "number");
	f->personnel_no = attribute(child(node, "mentor"), "personnelNo");
	f->signed_on = text(child(node, "signedOn"));
	f->valid_from = text(child(node, "validFrom"));
	f->valid_to = text(child(node, "validTo"));
	f->bonus_kind = attribute(bonus, "kind");
	f->bonus_amount = text(bonus);
	f->currency = attribute(bonus, "currency");
	f->max_mentees = text(child(node, "maxMentees"));
	f->employer_name = attribute(child(signatories, "employer"), "name");
	f->employer_position = attribute(child(signatories, "employer"), "position");
	f->employee_name = attribute(child(signatories, "employee"), "name");
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
		abort();
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

static bool
blank(const char *data, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char) data[i]))
			return false;
	return true;
}

/*
 * Compile the agreement schema from its text.  NULL on failure.
 */
xmlSchemaPtr
mentor_agreement_schema(const char *xsd, size_t len)
{
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema;

	if (len > INT_MAX)
		return NULL;
	pctxt = xmlSchemaNewMemParserCtxt(xsd, (int) len);
	if (pctxt == NULL)
		return NULL;
	schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	return schema;
}

/*
 * Parse data (len bytes) in the given encoding (NULL: as declared, or by
 * byte order mark), validate it against schema and take its agreements
 * apart into *out, which the caller frees with mentor_free_agreements.
 */
void
mentor_parse_agreements(const char *data, size_t len, const char *encoding,
						xmlSchemaPtr schema, MentorAgreementDocument *out)
{
	ParseState	st;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	doc;
	xmlNodePtr	root;

	memset(out, 0, sizeof(MentorAgreementDocument));
	memset(&st, 0, sizeof(st));
	st.out = out;

	if (len == 0 || blank(data, len))
	{
		out->failure = MENTOR_XML_EMPTY;
		out->failure_line = 1;
		out->failure_message = dup_message("the document is empty");
		return;
	}
	if (len > INT_MAX)
	{
		out->failure = MENTOR_XML_MALFORMED;
		out->failure_message = dup_message("the document is too large");
		return;
	}

	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		abort();
	ctxt->_private = &st;
	ctxt->sax->internalSubset = reject_doctype;
	doc = xmlCtxtReadMemory(ctxt, data, (int) len, NULL, encoding,
							XML_PARSE_NONET | XML_PARSE_BIG_LINES |
							XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (st.dtd)
	{
		out->failure = MENTOR_XML_DTD;
		out->failure_line = st.dtd_line;
		out->failure_message =
			dup_message("document type declarations (DOCTYPE) are not allowed");
	}
	else if (doc == NULL || !ctxt->wellFormed)
	{
		xmlErrorPtr error = xmlCtxtGetLastError(ctxt);

		out->failure = MENTOR_XML_MALFORMED;
		out->failure_line = error ? error->line : 0;
		out->failure_message = dup_message(error ? error->message : NULL);
	}
	else if ((root = xmlDocGetRootElement(doc)) == NULL)
	{
		out->failure = MENTOR_XML_EMPTY;
		out->failure_line = 1;
		out->failure_message = dup_message("the document has no root element");
	}
	else
	{
		xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);

		if (vctxt == NULL)
			abort();
		xmlSchemaSetValidStructuredErrors(vctxt, schema_error, &st);
		xmlSchemaValidateDoc(vctxt, doc);
		xmlSchemaFreeValidCtxt(vctxt);

		if (is_ours(root, "agreement"))
			take_apart(&st, doc, root);
		else if (is_ours(root, "agreements"))
		{
			xmlNodePtr	c;

			for (c = root->children; c != NULL; c = c->next)
				if (is_ours(c, "agreement"))
					take_apart(&st, doc, c);
		}
		find_duplicates(out);
	}

	free(st.bad);
	if (doc != NULL)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
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
	free(doc->failure_message);
	memset(doc, 0, sizeof(MentorAgreementDocument));
}
