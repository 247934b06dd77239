/*-------------------------------------------------------------------------
 *
 * signing.c
 *	  Signed export of mentor certificates: CMS (PKCS#7) SignedData in DER
 *	  or PEM that `openssl cms -verify` accepts, and its verification.
 *
 * The signed content is mentor.certificate_document(), byte for byte.
 * Every OpenSSL object lives only inside one call and is freed in
 * PG_FINALLY, so an error midway leaks nothing; OpenSSL's errors become
 * ereports with its reason text.
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
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/xml.h"

#include "mentor.h"
#include "signing.h"

PG_FUNCTION_INFO_V1(mentor_export_certificate);
PG_FUNCTION_INFO_V1(mentor_export_certificate_pem);
PG_FUNCTION_INFO_V1(mentor_verify_certificate_export);
PG_FUNCTION_INFO_V1(mentor_issuing_organisation);

char	   *mentor_issuing_organisation_name = NULL;

/* a copy of a bytea from SPI memory into the caller's context */
static bytea *
copy_bytea(Datum d, MemoryContext cxt)
{
	bytea	   *src = DatumGetByteaPP(d);
	Size		len = VARSIZE_ANY_EXHDR(src);
	bytea	   *dst = MemoryContextAlloc(cxt, len + VARHDRSZ);

	SET_VARSIZE(dst, len + VARHDRSZ);
	memcpy(VARDATA(dst), VARDATA_ANY(src), len);
	return dst;
}

/*
 * The document of a certificate that may be exported today: it exists, is
 * not revoked, and today lies between its issue and its last valid day.
 */
static bytea *
exportable_document(int64 certificate_id, char **serial)
{
	MemoryContext cxt = CurrentMemoryContext;
	Datum		arg = Int64GetDatum(certificate_id);
	DateADT		today = GetSQLCurrentDate();
	bool		isnull;
	Datum		revoked;
	DateADT		issued_on;
	DateADT		valid_until;
	bytea	   *doc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (mentor_spi_exec(PLAN_CERTIFICATE_EXPORT, &arg, NULL, 1) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("certificate %lld does not exist", (long long) certificate_id)));
	*serial = MemoryContextStrdup(cxt, mentor_spi_text(0, 1));
	issued_on = DatumGetDateADT(mentor_spi_value(0, 2, &isnull));
	valid_until = DatumGetDateADT(mentor_spi_value(0, 3, &isnull));
	revoked = mentor_spi_value(0, 4, &isnull);
	if (!isnull && DatumGetDateADT(revoked) <= today)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate %s is revoked", *serial),
				 errdetail("Revoked on %s: %s.", mentor_date_str(DatumGetDateADT(revoked)),
						   mentor_spi_text(0, 5)[0] ? mentor_spi_text(0, 5) : "no reason recorded"),
				 errhint("Only a valid certificate can be exported.")));
	if (today < issued_on || today > valid_until)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate %s is not valid today (%s)", *serial, mentor_date_str(today)),
				 errdetail("It is valid from %s through %s.", mentor_date_str(issued_on),
						   mentor_date_str(valid_until)),
				 errhint("Only a valid certificate can be exported; issue a new one after the course.")));
	doc = copy_bytea(mentor_spi_value(0, 6, &isnull), cxt);
	SPI_finish();
	return doc;
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
 * Sign the certificate's document; DER, or PEM when pem.
 */
static bytea *
export_certificate(int64 certificate_id, bool pem)
{
	char	   *serial;
	bytea	   *doc = exportable_document(certificate_id, &serial);
	const MentorSigner *s = mentor_signer();
	BIO		   *volatile in = NULL;
	BIO		   *volatile out = NULL;
	CMS_ContentInfo *volatile cms = NULL;
	bytea	   *result = NULL;

	ERR_clear_error();
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
		cms = CMS_sign(s->cert, s->key, s->chain, in, CMS_BINARY | CMS_NOSMIMECAP);
		if (cms == NULL)
			sign_error(s, serial);
		if ((pem ? PEM_write_bio_CMS(out, cms) : i2d_CMS_bio(out, cms)) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not encode the signature of certificate %s: %s",
							serial, mentor_openssl_error())));
		len = BIO_get_mem_data(out, &data);
		result = palloc(len + VARHDRSZ);
		SET_VARSIZE(result, len + VARHDRSZ);
		memcpy(VARDATA(result), data, len);
	}
	PG_FINALLY();
	{
		BIO_free(in);
		BIO_free(out);
		CMS_ContentInfo_free(cms);
	}
	PG_END_TRY();
	pfree(doc);
	return result;
}

/*
 * SQL: mentor.export_certificate(certificate_id bigint) returns bytea (DER)
 */
Datum
mentor_export_certificate(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(export_certificate(PG_GETARG_INT64(0), false));
}

/*
 * SQL: mentor.export_certificate_pem(certificate_id bigint) returns text
 */
Datum
mentor_export_certificate_pem(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P((text *) export_certificate(PG_GETARG_INT64(0), true));
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
 * The configured signer certificate and chain as the only trust anchors.
 */
static X509_STORE *
trust_store(const MentorSigner *s)
{
	X509_STORE *store = X509_STORE_new();
	int			i;

	if (store == NULL)
		return NULL;
	X509_STORE_add_cert(store, s->cert);
	for (i = 0; i < sk_X509_num(s->chain); i++)
		X509_STORE_add_cert(store, sk_X509_value(s->chain, i));
	/* the signer's own certificate is enough: it need not chain to a root */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	/* whatever key usage an enterprise CA gave the signing certificate */
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	return store;
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
			CMS_verify(cms, NULL, store, NULL, out, CMS_BINARY) == 1)
		{
			char	   *data;
			long		len = BIO_get_mem_data(out, &data);

			document = pnstrdup(data, len);
			signers = CMS_get0_signers(cms);
			if (signers != NULL && sk_X509_num(signers) > 0)
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

/*
 * SQL: mentor.issuing_organisation() returns text, the setting that names
 * the issuer in certificate documents (a function, so that reading it loads
 * the library that defines it).
 */
Datum
mentor_issuing_organisation(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(mentor_issuing_organisation_name ?
									 mentor_issuing_organisation_name : ""));
}
