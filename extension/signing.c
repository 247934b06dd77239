/*-------------------------------------------------------------------------
 *
 * signing.c
 *	  Signed export of mentor certificates: CMS (PKCS#7) SignedData in DER
 *	  or PEM that `openssl cms -verify` accepts, and its verification.
 *
 * The signed content is mentor.certificate_document(), byte for byte.
 * Every key type signs, and every export is verified, through OpenSSL's
 * CMS API: no part of the wire format is written here.  Every OpenSSL
 * object made here
 * lives only inside one call and is freed in PG_FINALLY, so an error
 * midway leaks nothing; OpenSSL's errors become ereports with its reason
 * text.
 *
 * extension/signing.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

/* pem.h first: cms.h declares its PEM functions with pem.h's macros */
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/snapmgr.h"
#include "utils/xml.h"

#include "mentor.h"
#include "signing.h"

/* the indexes this file reads (lookup.c) */
static MentorIndex idx_certificate_pkey = MENTOR_INDEX("certificate", "certificate_pkey");	/* certificate (certificate_id) */
static MentorIndex idx_employee_pkey = MENTOR_INDEX("employee", "employee_pkey");	/* employee (employee_id) */
static MentorIndex idx_mentor_pkey = MENTOR_INDEX("mentor", "mentor_pkey");	/* mentor (employee_id) */

PG_FUNCTION_INFO_V1(mentor_export_certificate);
PG_FUNCTION_INFO_V1(mentor_export_certificate_pem);
PG_FUNCTION_INFO_V1(mentor_verify_certificate_export);
PG_FUNCTION_INFO_V1(mentor_certificate_document);

char	   *mentor_issuing_organisation_name = NULL;

/* what a certificate document says (read_certificate) */
typedef struct CertificateRow
{
	char	   *serial;
	int64		employee_id;
	DateADT		issued_on;
	DateADT		valid_until;
	bool		revoked;
	DateADT		revoked_on;
	char	   *revoke_reason;
	char	   *personnel_no;
	char	   *full_name;
	char	   *course_hours;
	char	   *tier;
} CertificateRow;

/* a text column, "" for NULL: documents print empty elements */
static char *
slot_text(TupleTableSlot *slot, const char *name)
{
	char	   *s = mentor_slot_text(slot, name);

	return s ? s : "";
}

static bool
visit_certificate(TupleTableSlot *slot, void *arg)
{
	CertificateRow *c = (CertificateRow *) arg;
	bool		isnull;

	c->serial = slot_text(slot, "serial");
	c->employee_id = DatumGetInt64(mentor_slot_attr(slot, "employee_id", &isnull));
	c->issued_on = DatumGetDateADT(mentor_slot_attr(slot, "issued_on", &isnull));
	c->valid_until = DatumGetDateADT(mentor_slot_attr(slot, "valid_until", &isnull));
	c->revoked = mentor_slot_date(slot, "revoked_on", &c->revoked_on);
	c->revoke_reason = slot_text(slot, "revoke_reason");
	c->course_hours = DatumGetCString(DirectFunctionCall1(numeric_out,
														  mentor_slot_attr(slot, "course_hours", &isnull)));
	return false;
}

static bool
visit_holder(TupleTableSlot *slot, void *arg)
{
	CertificateRow *c = (CertificateRow *) arg;

	c->personnel_no = slot_text(slot, "personnel_no");
	c->full_name = slot_text(slot, "full_name");
	return false;
}

static bool
visit_tier(TupleTableSlot *slot, void *arg)
{
	((CertificateRow *) arg)->tier = slot_text(slot, "tier");
	return false;
}

/*
 * The certificate, its holder and the holder's tier, read through their
 * primary keys as the statement's snapshot sees them.
 */
static void
read_certificate(int64 certificate_id, CertificateRow *c)
{
	if (!mentor_get_row(&idx_certificate_pkey, certificate_id, visit_certificate, c))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("certificate %lld does not exist", (long long) certificate_id)));
	c->personnel_no = "";
	c->full_name = "";
	mentor_get_row(&idx_employee_pkey, c->employee_id, visit_holder, c);
	c->tier = "mentor";
	mentor_get_row(&idx_mentor_pkey, c->employee_id, visit_tier, c);
}

/* text content, and attribute values (where quotes are escaped too) */
static void
append_escaped(StringInfo buf, const char *s, bool attribute)
{
	char	   *escaped = escape_xml(s);
	char	   *p;

	for (p = escaped; *p; p++)
	{
		if (attribute && *p == '"')
			appendStringInfoString(buf, "&quot;");
		else
			appendStringInfoChar(buf, *p);
	}
	pfree(escaped);
}

static void
append_element(StringInfo buf, const char *name, const char *value)
{
	appendStringInfo(buf, "<%s>", name);
	append_escaped(buf, value, false);
	appendStringInfo(buf, "</%s>", name);
}

/*
 * The certificate document: the same bytes for the same data, UTF-8
 * whatever the database encoding.  Dates are ISO 8601 (xs:date).
 */
static bytea *
certificate_document(const CertificateRow *c)
{
	StringInfoData buf;
	char	   *utf8;
	bytea	   *result;
	size_t		len;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
						   "<certificate xmlns=\"urn:mentor:certificate:1\">");
	append_element(&buf, "serial", c->serial);
	appendStringInfoString(&buf, "<mentor personnelNo=\"");
	append_escaped(&buf, c->personnel_no, true);
	appendStringInfoString(&buf, "\">");
	append_element(&buf, "fullName", c->full_name);
	appendStringInfoString(&buf, "</mentor>");
	append_element(&buf, "courseHours", c->course_hours);
	append_element(&buf, "issuedOn", mentor_date_str(c->issued_on));
	append_element(&buf, "validUntil", mentor_date_str(c->valid_until));
	append_element(&buf, "tier", c->tier);
	append_element(&buf, "issuer", mentor_issuing_organisation_name ?
				   mentor_issuing_organisation_name : "");
	appendStringInfoString(&buf, "</certificate>\n");

	utf8 = pg_server_to_any(buf.data, buf.len, PG_UTF8);
	len = strlen(utf8);
	result = palloc(len + VARHDRSZ);
	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), utf8, len);
	return result;
}

/*
 * SQL: mentor.certificate_document(certificate_id bigint) returns bytea
 */
Datum
mentor_certificate_document(PG_FUNCTION_ARGS)
{
	CertificateRow c;

	read_certificate(PG_GETARG_INT64(0), &c);
	PG_RETURN_BYTEA_P(certificate_document(&c));
}

/*
 * The document of a certificate that may be exported today: it exists, is
 * not revoked, and today lies between its issue and its last valid day.
 */
static bytea *
exportable_document(int64 certificate_id, char **serial)
{
	CertificateRow c;
	DateADT		today = GetSQLCurrentDate();

	read_certificate(certificate_id, &c);
	*serial = c.serial;
	if (c.revoked && c.revoked_on <= today)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate %s is revoked", c.serial),
				 errdetail("Revoked on %s: %s.", mentor_date_str(c.revoked_on),
						   c.revoke_reason[0] ? c.revoke_reason : "no reason recorded"),
				 errhint("Only a valid certificate can be exported.")));
	if (today < c.issued_on || today > c.valid_until)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate %s is not valid today (%s)", c.serial, mentor_date_str(today)),
				 errdetail("It is valid from %s through %s.", mentor_date_str(c.issued_on),
						   mentor_date_str(c.valid_until)),
				 errhint("Only a valid certificate can be exported; issue a new one after the course.")));
	return certificate_document(&c);
}

static void
sign_error(const MentorSigner *s, const char *serial)
{
	int			type = EVP_PKEY_get_base_id(s->key);
	const char *reason = mentor_openssl_error();

	if (type == EVP_PKEY_ED25519 || type == EVP_PKEY_ED448)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("could not sign certificate %s: %s", serial, reason),
				 errdetail("%s cannot sign CMS with %s keys.",
						   OpenSSL_version(OPENSSL_VERSION), OBJ_nid2sn(type)),
				 errhint("Use an RSA (2048 bits or more) or EC P-256/P-384 signing key.")));
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("could not sign certificate %s: %s", serial, reason)));
}

/*
 * SignedData of the document through OpenSSL's CMS API, DER: the content
 * encapsulated, the signer's certificate and the chain included, SHA-256
 * and a signing time signed, no S/MIME capabilities.
 */
static bytea *
cms_signed_data(const MentorSigner *s, bytea *doc, const char *serial)
{
	BIO		   *volatile in = NULL;
	BIO		   *volatile out = NULL;
	CMS_ContentInfo *volatile cms = NULL;
	StringInfoData der;
	unsigned int flags = CMS_BINARY | CMS_NOSMIMECAP;

	initStringInfo(&der);
	appendStringInfoSpaces(&der, VARHDRSZ);
	PG_TRY();
	{
		char	   *data;
		long		len;

		in = BIO_new_mem_buf(VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc));
		out = BIO_new(BIO_s_mem());
		if (in == NULL || out == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));

		/* encapsulated content, signer and chain certificates, signing time */
		cms = CMS_sign(NULL, NULL, s->chain, NULL, flags | CMS_PARTIAL);
		if (cms == NULL ||
			CMS_add1_signer(cms, s->cert, s->key, NULL, flags) == NULL ||
			CMS_final(cms, in, NULL, flags) != 1)
			sign_error(s, serial);
		if (i2d_CMS_bio(out, cms) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not encode the signature of certificate %s: %s",
							serial, mentor_openssl_error())));
		len = BIO_get_mem_data(out, &data);
		appendBinaryStringInfo(&der, data, len);
	}
	PG_FINALLY();
	{
		BIO_free(in);
		BIO_free(out);
		CMS_ContentInfo_free(cms);
	}
	PG_END_TRY();
	SET_VARSIZE(der.data, der.len);
	return (bytea *) der.data;
}

/*
 * PEM ("-----BEGIN CMS-----") of a DER SignedData, as PEM_write_bio_CMS
 * writes it.  Nothing between BIO_new and BIO_free can raise an error.
 */
static text *
pem_of(bytea *der)
{
	BIO		   *out = BIO_new(BIO_s_mem());
	text	   *result = NULL;
	char	   *data;
	long		len;

	if (out != NULL &&
		PEM_write_bio(out, PEM_STRING_CMS, "", (unsigned char *) VARDATA(der),
					  VARSIZE(der) - VARHDRSZ) > 0)
	{
		len = BIO_get_mem_data(out, &data);
		result = palloc_extended(len + VARHDRSZ, MCXT_ALLOC_NO_OOM);
		if (result != NULL)
		{
			SET_VARSIZE(result, len + VARHDRSZ);
			memcpy(VARDATA(result), data, len);
		}
	}
	BIO_free(out);
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not encode a signed export as PEM: %s",
						mentor_openssl_error())));
	return result;
}

/*
 * Sign the certificate's document: CMS SignedData, DER.
 */
static bytea *
export_certificate(int64 certificate_id)
{
	char	   *serial;
	bytea	   *doc = exportable_document(certificate_id, &serial);
	const MentorSigner *s = mentor_signer();
	bytea	   *result;

	ERR_clear_error();
	result = cms_signed_data(s, doc, serial);
	pfree(doc);
	return result;
}

/*
 * SQL: mentor.export_certificate(certificate_id bigint) returns bytea (DER)
 */
Datum
mentor_export_certificate(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(export_certificate(PG_GETARG_INT64(0)));
}

/*
 * SQL: mentor.export_certificate_pem(certificate_id bigint) returns text
 */
Datum
mentor_export_certificate_pem(PG_FUNCTION_ARGS)
{
	bytea	   *der = export_certificate(PG_GETARG_INT64(0));
	text	   *result = pem_of(der);

	pfree(der);
	PG_RETURN_TEXT_P(result);
}

/* RFC 2253 form of a certificate's subject */
static char *
subject_name(X509 *cert)
{
	BIO		   *bio = BIO_new(BIO_s_mem());
	char	   *data;
	long		len;
	char	   *result;

	if (bio == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
	len = BIO_get_mem_data(bio, &data);
	result = pnstrdup(data, len);
	BIO_free(bio);
	return result;
}

/*
 * The configured signer certificate as the only trust anchor.  Not the chain:
 * an intermediate CA in the store would make every other certificate it
 * issued (in an enterprise, perhaps every employee's) a valid signer.
 */
static X509_STORE *
trust_store(const MentorSigner *s)
{
	X509_STORE *store = X509_STORE_new();

	if (store == NULL)
		return NULL;
	if (X509_STORE_add_cert(store, s->cert) != 1)
	{
		X509_STORE_free(store);
		return NULL;
	}
	/* the signer's own certificate is enough: it need not chain to a root */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	/* whatever key usage an enterprise CA gave the signing certificate */
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	return store;
}

/* every signer of a verified export is the configured certificate itself */
static bool
signed_by(STACK_OF(X509) *signers, const MentorSigner *s)
{
	int			i;

	if (signers == NULL || sk_X509_num(signers) == 0)
		return false;
	for (i = 0; i < sk_X509_num(signers); i++)
		if (X509_cmp(sk_X509_value(signers, i), s->cert) != 0)
			return false;
	return true;
}

/*
 * SQL: mentor.verify_certificate_export(bytea)
 *		returns table (valid boolean, signer text, document xml)
 *
 * A damaged, tampered or foreign signature is valid = false, never an error.
 */
Datum
mentor_verify_certificate_export(PG_FUNCTION_ARGS)
{
	bytea	   *input = PG_GETARG_BYTEA_PP(0);
	const MentorSigner *s = mentor_signer();
	TupleDesc	tupdesc;
	Datum		values[3] = {0, 0, 0};
	bool		nulls[3] = {false, true, true};
	BIO		   *volatile in = NULL;
	BIO		   *volatile out = NULL;
	CMS_ContentInfo *volatile cms = NULL;
	X509_STORE *volatile store = NULL;
	STACK_OF(X509) *volatile signers = NULL;
	char	   *volatile signer = NULL;
	char	   *volatile document = NULL;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	ERR_clear_error();
	PG_TRY();
	{
		in = BIO_new_mem_buf(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input));
		out = BIO_new(BIO_s_mem());
		store = trust_store(s);
		if (in == NULL || out == NULL || store == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		cms = d2i_CMS_bio(in, NULL);
		if (cms != NULL &&
			CMS_verify(cms, NULL, store, NULL, out, CMS_BINARY) == 1 &&
			signed_by(signers = CMS_get0_signers(cms), s))
		{
			char	   *data;
			long		len = BIO_get_mem_data(out, &data);

			document = pnstrdup(data, len);
			signer = subject_name(sk_X509_value(signers, 0));
		}
		ERR_clear_error();
	}
	PG_FINALLY();
	{
		sk_X509_free(signers);
		X509_STORE_free(store);
		CMS_ContentInfo_free(cms);
		BIO_free(in);
		BIO_free(out);
	}
	PG_END_TRY();

	values[0] = BoolGetDatum(document != NULL);
	if (signer != NULL)
	{
		values[1] = CStringGetTextDatum(signer);
		nulls[1] = false;
	}
	if (document != NULL)
	{
		values[2] = DirectFunctionCall1(xml_in, CStringGetDatum(document));
		nulls[2] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
