/*-------------------------------------------------------------------------
 *
 * signed_data.c
 *	  CMS SignedData (RFC 5652) for RSA and EC signers, put together from
 *	  parts OpenSSL encodes, with one signing context kept per key.
 *
 * OpenSSL's CMS API builds and frees a whole object tree and sets up a new
 * signing context for every signature; on our machines that caps it at
 * about 46% of `openssl speed`'s raw sign rate (tests/bench/cms_ceiling.c),
 * below the export's target of half.  Yet little changes from one export to
 * the next: the content, the signing time, the content digest and the
 * signature.  So the constant parts (algorithm identifiers, the signer's
 * issuer and serial number, the certificates) are encoded once per key,
 * each export encodes its own parts, every value by OpenSSL's i2d
 * functions, and only the headers that join them are written here, with
 * ASN1_put_object.  The bytes are those CMS_sign writes for the same key:
 * tests/t/002_signing.pl compares both through `openssl cms -cmsout -print`.
 *
 * Keys of other types (Ed25519 where OpenSSL supports it in CMS) have no
 * parts and are signed through the CMS API by signing.c.
 *
 * Nothing here allocates an OpenSSL object per export, so an error midway
 * has nothing to free; the per-key objects are freed with the key.
 *
 * extension/signed_data.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "lib/stringinfo.h"
#include "utils/memutils.h"

#include "mentor.h"
#include "signing.h"

struct SignedDataParts
{
	MemoryContext cxt;			/* holds the encoded parts below */
	EVP_PKEY_CTX *sign_ctx;		/* EVP_PKEY_sign_init done, SHA-256 set */
	EVP_MD_CTX *digest_ctx;		/* reused for every digest */
	EVP_MD	   *md;				/* SHA-256 */
	ASN1_TIME  *signing_time;	/* reused for every signing time */
	size_t		max_signature;
	StringInfoData signed_data_oid; /* id-signedData */
	StringInfoData data_oid;	/* id-data */
	StringInfoData version;		/* INTEGER 1, of SignedData and SignerInfo */
	StringInfoData digest_alg;	/* AlgorithmIdentifier of SHA-256 */
	StringInfoData signature_alg;	/* what CMS names the key's signatures */
	StringInfoData sid;			/* IssuerAndSerialNumber of the signer */
	StringInfoData certificates;	/* [0] IMPLICIT SET OF Certificate */
	StringInfoData content_type_attr;	/* contentType = id-data */
	StringInfoData signing_time_oid;
	StringInfoData message_digest_oid;
};

static void
encode_error(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("could not encode %s: %s", what, mentor_openssl_error())));
}

/* append an object's DER as OpenSSL's i2d function encodes it */
static void
append_i2d(StringInfo buf, i2d_of_void *i2d, const void *object, const char *what)
{
	int			len = i2d(object, NULL);
	unsigned char *p;

	if (len <= 0)
		encode_error(what);
	enlargeStringInfo(buf, len);
	p = (unsigned char *) buf->data + buf->len;
	if (i2d(object, &p) != len)
		encode_error(what);
	buf->len += len;
	buf->data[buf->len] = '\0';	/* as appendBinaryStringInfo leaves it */
}

/* append the identifier and length octets of a definite-length value */
static void
append_header(StringInfo buf, int constructed, int tag, int xclass, int length)
{
	unsigned char header[16];
	unsigned char *p = header;

	ASN1_put_object(&p, constructed, length, tag, xclass);
	appendBinaryStringInfo(buf, (char *) header, p - header);
}

/* append a value of the given tag around contents already encoded */
static void
append_wrapped(StringInfo buf, int constructed, int tag, int xclass,
			   const char *contents, int len)
{
	append_header(buf, constructed, tag, xclass, len);
	appendBinaryStringInfo(buf, contents, len);
}

static void
append_sequence(StringInfo buf, const StringInfoData *contents)
{
	append_wrapped(buf, 1, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, contents->data, contents->len);
}

/* DER orders the members of a SET OF by their encodings (X.690, 11.6) */
static int
der_order(const void *a, const void *b)
{
	const StringInfoData *x = (const StringInfoData *) a;
	const StringInfoData *y = (const StringInfoData *) b;
	int			c = memcmp(x->data, y->data, Min(x->len, y->len));

	return c != 0 ? c : x->len - y->len;
}

/* the members of a SET OF, encoded, in DER order, without header */
static void
append_set_members(StringInfo buf, StringInfoData *members, int n)
{
	int			i;

	qsort(members, n, sizeof(StringInfoData), der_order);
	for (i = 0; i < n; i++)
		appendBinaryStringInfo(buf, members[i].data, members[i].len);
}

/* Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET } */
static void
append_attribute(StringInfo buf, const StringInfoData *type_oid,
				 const char *value, int value_len)
{
	StringInfoData contents;

	initStringInfo(&contents);
	appendBinaryStringInfo(&contents, type_oid->data, type_oid->len);
	append_wrapped(&contents, 1, V_ASN1_SET, V_ASN1_UNIVERSAL, value, value_len);
	append_sequence(buf, &contents);
	pfree(contents.data);
}

static void
append_oid(StringInfo buf, int nid)
{
	append_i2d(buf, CHECKED_I2D_OF(ASN1_OBJECT, i2d_ASN1_OBJECT),
			   OBJ_nid2obj(nid), "an object identifier");
}

/* AlgorithmIdentifier of algorithm nid, parameters absent or NULL */
static void
append_algorithm(StringInfo buf, int nid, bool null_parameters)
{
	StringInfoData contents;

	initStringInfo(&contents);
	append_oid(&contents, nid);
	if (null_parameters)
		append_wrapped(&contents, 0, V_ASN1_NULL, V_ASN1_UNIVERSAL, "", 0);
	append_sequence(buf, &contents);
	pfree(contents.data);
}

/*
 * The signature algorithm CMS records for the key: rsaEncryption with NULL
 * parameters for RSA (PKCS #1 v1.5), ecdsa-with-SHA256 for EC keys.
 */
static void
append_signature_algorithm(StringInfo buf, EVP_PKEY *key)
{
	int			nid;

	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA)
		append_algorithm(buf, NID_rsaEncryption, true);
	else if (OBJ_find_sigid_by_algs(&nid, NID_sha256, EVP_PKEY_EC))
		append_algorithm(buf, nid, false);
	else
		encode_error("the signature algorithm");
}

/* IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER } */
static void
append_signer_id(StringInfo buf, X509 *cert)
{
	StringInfoData contents;

	initStringInfo(&contents);
	append_i2d(&contents, CHECKED_I2D_OF(X509_NAME, i2d_X509_NAME),
			   X509_get_issuer_name(cert), "the signer's issuer");
	append_i2d(&contents, CHECKED_I2D_OF(ASN1_INTEGER, i2d_ASN1_INTEGER),
			   X509_get0_serialNumber(cert), "the signer's serial number");
	append_sequence(buf, &contents);
	pfree(contents.data);
}

/* certificates [0] IMPLICIT SET OF: the signer's and the chain, once each */
static void
append_certificates(StringInfo buf, X509 *cert, STACK_OF(X509) *chain)
{
	int			n = 0;
	int			i;
	StringInfoData *members = palloc((sk_X509_num(chain) + 1) * sizeof(StringInfoData));
	StringInfoData contents;

	for (i = -1; i < sk_X509_num(chain); i++)
	{
		X509	   *c = i < 0 ? cert : sk_X509_value(chain, i);
		int			j;
		bool		seen = false;

		for (j = -1; j < i && !seen; j++)
			seen = X509_cmp(c, j < 0 ? cert : sk_X509_value(chain, j)) == 0;
		if (seen)
			continue;
		initStringInfo(&members[n]);
		append_i2d(&members[n++], CHECKED_I2D_OF(X509, i2d_X509), c, "a certificate");
	}
	initStringInfo(&contents);
	append_set_members(&contents, members, n);
	append_wrapped(buf, 1, 0, V_ASN1_CONTEXT_SPECIFIC, contents.data, contents.len);
}

/* buf, initialised here, holds the DER of object identifier nid */
static void
encode_oid(StringInfo buf, int nid)
{
	initStringInfo(buf);
	append_oid(buf, nid);
}

/* what every SignedData of this signer has in common */
static void
encode_constant_parts(SignedDataParts *parts, EVP_PKEY *key, X509 *cert,
					  STACK_OF(X509) *chain)
{
	StringInfoData content_type_oid;

	encode_oid(&parts->signed_data_oid, NID_pkcs7_signed);
	encode_oid(&parts->data_oid, NID_pkcs7_data);
	encode_oid(&parts->signing_time_oid, NID_pkcs9_signingTime);
	encode_oid(&parts->message_digest_oid, NID_pkcs9_messageDigest);
	encode_oid(&content_type_oid, NID_pkcs9_contentType);
	initStringInfo(&parts->content_type_attr);
	append_attribute(&parts->content_type_attr, &content_type_oid,
					 parts->data_oid.data, parts->data_oid.len);

	initStringInfo(&parts->version);
	append_wrapped(&parts->version, 0, V_ASN1_INTEGER, V_ASN1_UNIVERSAL, "\1", 1);
	initStringInfo(&parts->digest_alg);
	append_algorithm(&parts->digest_alg, NID_sha256, false);
	initStringInfo(&parts->signature_alg);
	append_signature_algorithm(&parts->signature_alg, key);
	initStringInfo(&parts->sid);
	append_signer_id(&parts->sid, cert);
	initStringInfo(&parts->certificates);
	append_certificates(&parts->certificates, cert, chain);
}

/*
 * The parts of the signer's SignedData, or NULL for a key type the CMS API
 * has to sign.  On error the parts made so far are freed.
 */
SignedDataParts *
mentor_signed_data_prepare(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain)
{
	int			type = EVP_PKEY_get_base_id(key);
	SignedDataParts *volatile parts;
	MemoryContext old;

	if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC)
		return NULL;

	parts = MemoryContextAllocZero(TopMemoryContext, sizeof(SignedDataParts));
	parts->cxt = AllocSetContextCreate(TopMemoryContext, "mentor signed data parts",
									   ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(parts->cxt);
	PG_TRY();
	{
		parts->md = EVP_MD_fetch(NULL, "SHA256", NULL);
		parts->digest_ctx = EVP_MD_CTX_new();
		parts->sign_ctx = EVP_PKEY_CTX_new(key, NULL);
		parts->signing_time = ASN1_TIME_new();
		if (parts->md == NULL || parts->digest_ctx == NULL ||
			parts->sign_ctx == NULL || parts->signing_time == NULL ||
			EVP_PKEY_sign_init(parts->sign_ctx) != 1 ||
			EVP_PKEY_CTX_set_signature_md(parts->sign_ctx, parts->md) != 1 ||
			(type == EVP_PKEY_RSA &&
			 EVP_PKEY_CTX_set_rsa_padding(parts->sign_ctx, RSA_PKCS1_PADDING) != 1))
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not prepare the signing key: %s",
							mentor_openssl_error())));
		parts->max_signature = EVP_PKEY_get_size(key);

		encode_constant_parts(parts, key, cert, chain);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(old);
		mentor_signed_data_free(parts);
		PG_RE_THROW();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(old);
	return parts;
}

void
mentor_signed_data_free(SignedDataParts *parts)
{
	if (parts == NULL)
		return;
	EVP_PKEY_CTX_free(parts->sign_ctx);
	EVP_MD_CTX_free(parts->digest_ctx);
	EVP_MD_free(parts->md);
	ASN1_TIME_free(parts->signing_time);
	MemoryContextDelete(parts->cxt);
	pfree(parts);
}

/* the digest of two pieces one after the other, with the kept context */
static unsigned int
digest(SignedDataParts *parts, unsigned char *out,
	   const char *a, int a_len, const char *b, int b_len)
{
	unsigned int len = 0;

	if (EVP_DigestInit_ex(parts->digest_ctx, parts->md, NULL) != 1 ||
		EVP_DigestUpdate(parts->digest_ctx, a, a_len) != 1 ||
		EVP_DigestUpdate(parts->digest_ctx, b, b_len) != 1 ||
		EVP_DigestFinal_ex(parts->digest_ctx, out, &len) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not compute a digest: %s", mentor_openssl_error())));
	return len;
}

/*
 * signedAttrs, in DER order: contentType, signingTime (now) and the
 * content's messageDigest, as CMS_final adds them.
 */
static void
append_signed_attributes(StringInfo buf, SignedDataParts *parts,
						 const char *content, int len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = digest(parts, md, content, len, "", 0);
	StringInfoData attrs[3];
	StringInfoData value;

	initStringInfo(&value);
	if (ASN1_TIME_set(parts->signing_time, time(NULL)) == NULL)
		encode_error("the signing time");
	append_i2d(&value, CHECKED_I2D_OF(ASN1_TIME, i2d_ASN1_TIME),
			   parts->signing_time, "the signing time");

	attrs[0] = parts->content_type_attr;
	initStringInfo(&attrs[1]);
	append_attribute(&attrs[1], &parts->signing_time_oid, value.data, value.len);
	resetStringInfo(&value);
	append_wrapped(&value, 0, V_ASN1_OCTET_STRING, V_ASN1_UNIVERSAL, (char *) md, md_len);
	initStringInfo(&attrs[2]);
	append_attribute(&attrs[2], &parts->message_digest_oid, value.data, value.len);

	append_set_members(buf, attrs, 3);
	pfree(value.data);
	for (int i = 0; i < 3; i++)
		if (attrs[i].data != parts->content_type_attr.data)
			pfree(attrs[i].data);
}

/*
 * SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm,
 *		signedAttrs [0] IMPLICIT, signatureAlgorithm, signature }
 * The signature covers the attributes' DER as a SET OF (RFC 5652, 5.4).
 */
static void
append_signer_info(StringInfo buf, SignedDataParts *parts, const char *content, int len)
{
	StringInfoData attrs;
	StringInfoData contents;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len;
	unsigned char *signature = palloc(parts->max_signature);
	size_t		signature_len = parts->max_signature;

	initStringInfo(&attrs);
	append_signed_attributes(&attrs, parts, content, len);
	initStringInfo(&contents);
	append_header(&contents, 1, V_ASN1_SET, V_ASN1_UNIVERSAL, attrs.len);
	md_len = digest(parts, md, contents.data, contents.len, attrs.data, attrs.len);
	if (EVP_PKEY_sign(parts->sign_ctx, signature, &signature_len, md, md_len) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not sign: %s", mentor_openssl_error())));

	resetStringInfo(&contents);
	appendBinaryStringInfo(&contents, parts->version.data, parts->version.len);
	appendBinaryStringInfo(&contents, parts->sid.data, parts->sid.len);
	appendBinaryStringInfo(&contents, parts->digest_alg.data, parts->digest_alg.len);
	append_wrapped(&contents, 1, 0, V_ASN1_CONTEXT_SPECIFIC, attrs.data, attrs.len);
	appendBinaryStringInfo(&contents, parts->signature_alg.data, parts->signature_alg.len);
	append_wrapped(&contents, 0, V_ASN1_OCTET_STRING, V_ASN1_UNIVERSAL,
				   (char *) signature, signature_len);
	append_sequence(buf, &contents);
	pfree(contents.data);
	pfree(attrs.data);
	pfree(signature);
}

/*
 * encapContentInfo ::= SEQUENCE { eContentType id-data,
 *		eContent [0] EXPLICIT OCTET STRING }
 */
static void
append_encapsulated_content(StringInfo buf, SignedDataParts *parts,
							const char *content, int len)
{
	int			octets = ASN1_object_size(0, len, V_ASN1_OCTET_STRING);

	append_header(buf, 1, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL,
				  parts->data_oid.len + ASN1_object_size(1, octets, 0));
	appendBinaryStringInfo(buf, parts->data_oid.data, parts->data_oid.len);
	append_header(buf, 1, 0, V_ASN1_CONTEXT_SPECIFIC, octets);
	append_wrapped(buf, 0, V_ASN1_OCTET_STRING, V_ASN1_UNIVERSAL, content, len);
}

/*
 * ContentInfo { id-signedData, [0] EXPLICIT SignedData } over content,
 * signed now by the key the parts were prepared for; DER, as a bytea.
 */
bytea *
mentor_signed_data(SignedDataParts *parts, const char *content, int len)
{
	StringInfoData signed_data;
	StringInfoData signer_info;
	StringInfoData out;

	initStringInfo(&signer_info);
	append_signer_info(&signer_info, parts, content, len);

	/* SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
	 *		certificates [0] IMPLICIT, signerInfos } */
	initStringInfo(&signed_data);
	appendBinaryStringInfo(&signed_data, parts->version.data, parts->version.len);
	append_wrapped(&signed_data, 1, V_ASN1_SET, V_ASN1_UNIVERSAL,
				   parts->digest_alg.data, parts->digest_alg.len);
	append_encapsulated_content(&signed_data, parts, content, len);
	appendBinaryStringInfo(&signed_data, parts->certificates.data, parts->certificates.len);
	append_wrapped(&signed_data, 1, V_ASN1_SET, V_ASN1_UNIVERSAL,
				   signer_info.data, signer_info.len);

	initStringInfo(&out);
	appendStringInfoSpaces(&out, VARHDRSZ);
	append_header(&out, 1, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL,
				  parts->signed_data_oid.len +
				  ASN1_object_size(1, ASN1_object_size(1, signed_data.len, V_ASN1_SEQUENCE), 0));
	appendBinaryStringInfo(&out, parts->signed_data_oid.data, parts->signed_data_oid.len);
	append_header(&out, 1, 0, V_ASN1_CONTEXT_SPECIFIC,
				  ASN1_object_size(1, signed_data.len, V_ASN1_SEQUENCE));
	append_sequence(&out, &signed_data);

	pfree(signed_data.data);
	pfree(signer_info.data);
	SET_VARSIZE(out.data, out.len);
	return (bytea *) out.data;
}
