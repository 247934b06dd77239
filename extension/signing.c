/*-------------------------------------------------------------------------
 *
 * signing.c
 *	  Signed export of mentor certificates and admissions to independent
 *	  work: CMS (PKCS#7) SignedData in DER or PEM that `openssl cms -verify`
 *	  accepts, and its verification.
 *
 * The signed content is mentor.certificate_document() (certificate.c) or
 * mentor.admission_document() (xml/admission_document.c), byte for byte.
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
#include "certificate.h"
#include "internship.h"
#include "signing.h"

PG_FUNCTION_INFO_V1(mentor_export_certificate);
PG_FUNCTION_INFO_V1(mentor_export_certificate_pem);
PG_FUNCTION_INFO_V1(mentor_verify_certificate_export);
PG_FUNCTION_INFO_V1(mentor_export_admission);

static void
sign_error(const MentorSigner *s, const char *what)
{
	int			type = EVP_PKEY_get_base_id(s->key);
	const char *reason = mentor_openssl_error();

	if (type == EVP_PKEY_ED25519 || type == EVP_PKEY_ED448)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("could not sign %s: %s", what, reason),
				 errdetail("%s cannot sign CMS with %s keys.",
						   OpenSSL_version(OPENSSL_VERSION), OBJ_nid2sn(type)),
				 errhint("Use an RSA (2048 bits or more) or EC P-256/P-384 signing key.")));
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("could not sign %s: %s", what, reason)));
}

/*
 * SignedData of the document through OpenSSL's CMS API, DER: the content
 * encapsulated, the signer's certificate and the chain included, SHA-256
 * and a signing time signed, no S/MIME capabilities.
 */
static bytea *
cms_signed_data(const MentorSigner *s, bytea *doc, const char *what)
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
			sign_error(s, what);
		if (i2d_CMS_bio(out, cms) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not encode the signature of %s: %s",
							what, mentor_openssl_error())));
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
	bytea	   *doc = mentor_exportable_document(certificate_id, &serial);
	const MentorSigner *s = mentor_signer();
	bytea	   *result;

	ERR_clear_error();
	result = cms_signed_data(s, doc, psprintf("certificate %s", serial));
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

/*
 * SQL: mentor.export_admission(pairing_id bigint) returns bytea (DER): the
 * admission document (xml/admission_document.c), signed the same way.
 */
Datum
mentor_export_admission(PG_FUNCTION_ARGS)
{
	char	   *label;
	bytea	   *doc = mentor_admission_bytes(PG_GETARG_INT64(0), &label);
	const MentorSigner *s = mentor_signer();
	bytea	   *result;

	ERR_clear_error();
	result = cms_signed_data(s, doc, label);
	pfree(doc);
	PG_RETURN_BYTEA_P(result);
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
