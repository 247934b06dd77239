/*-------------------------------------------------------------------------
 *
 * cms_ceiling.c
 *	  What OpenSSL's CMS API itself allows on this machine: its signing
 *	  steps (CMS_sign PARTIAL, CMS_add1_signer with SHA-256, CMS_final,
 *	  i2d) in a loop outside the database, beside plain EVP_DigestSign.
 *	  It stays below half of `openssl speed`'s sign rate, which is why RSA
 *	  and EC exports assemble SignedData themselves (signed_data.c); keys
 *	  of other types still go through these steps.  Run by
 *	  tests/bench/run.sh signing.
 *
 *	  cms_ceiling KEY.pem CERT.pem
 *
 * tests/bench/cms_ceiling.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/cms.h>

#define ROUNDS 10000

static const char document[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<certificate xmlns=\"urn:mentor:certificate:1\"><serial>MC-2026-000001</serial>"
"<mentor personnelNo=\"100001\"><fullName>Ivan Petrov</fullName></mentor>"
"<courseHours>16</courseHours><issuedOn>2026-01-10</issuedOn>"
"<validUntil>2029-01-09</validUntil><tier>mentor</tier>"
"<issuer>Mentorship programme</issuer></certificate>\n";

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	EVP_PKEY   *key;
	X509	   *cert;
	EVP_MD	   *md;
	unsigned int flags = CMS_BINARY | CMS_NOSMIMECAP;
	double		t0;
	int			i;

	if (argc != 3 || (f = fopen(argv[1], "r")) == NULL)
		return 2;
	key = PEM_read_PrivateKey(f, NULL, NULL, (void *) "");
	fclose(f);
	if ((f = fopen(argv[2], "r")) == NULL)
		return 2;
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (key == NULL || cert == NULL || md == NULL)
		return 2;

	t0 = seconds();
	for (i = 0; i < ROUNDS; i++)
	{
		BIO		   *in = BIO_new_mem_buf(document, sizeof(document) - 1);
		BIO		   *out = BIO_new(BIO_s_mem());
		CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);

		if (cms == NULL || CMS_add1_signer(cms, cert, key, md, flags) == NULL ||
			CMS_final(cms, in, NULL, flags) != 1 || i2d_CMS_bio(out, cms) != 1)
			return 1;
		CMS_ContentInfo_free(cms);
		BIO_free(in);
		BIO_free(out);
	}
	printf("  CMS API outside the database:  %.0f signatures/s\n", ROUNDS / (seconds() - t0));

	t0 = seconds();
	for (i = 0; i < ROUNDS; i++)
	{
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		unsigned char sig[1024];
		size_t		len = sizeof(sig);

		if (EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL) != 1 ||
			EVP_DigestSign(ctx, sig, &len, (const unsigned char *) document,
						   sizeof(document) - 1) != 1)
			return 1;
		EVP_MD_CTX_free(ctx);
	}
	printf("  EVP_DigestSign (init per call): %.0f signatures/s\n", ROUNDS / (seconds() - t0));

	EVP_MD_free(md);
	X509_free(cert);
	EVP_PKEY_free(key);
	return 0;
}
