/*-------------------------------------------------------------------------
 *
 * signing_keys.c
 *	  The signing key, certificate and chain that certificate exports are
 *	  signed with: settings, file checks, loading and reloading.
 *
 * The files are named by mentor.signing_key_file, mentor.signing_cert_file
 * and mentor.signing_chain_file (postgresql.conf only, reloadable).  The key
 * file must pass the check PostgreSQL applies to ssl_key_file: a regular
 * file, owned by the server's user with no group or other access, or owned
 * by root with at most group read.  The files are checked once per
 * statement; the key is loaded once per backend and again when a setting or
 * a file's modification time changes.  No SQL call ever returns it.
 *
 * extension/signing_keys.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "access/xact.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "mentor.h"
#include "signing.h"

/* what is loaded, and from which files as they were then */
static MentorSigner signer;
static char *loaded_key_file = NULL;
static char *loaded_cert_file = NULL;
static char *loaded_chain_file = NULL;
static time_t loaded_key_mtime;
static time_t loaded_cert_mtime;
static time_t loaded_chain_mtime;
static TimestampTz checked_in_statement = 0;

/*
 * The reason text of OpenSSL's error queue (the earliest error), and an
 * empty queue afterwards.
 */
const char *
mentor_openssl_error(void)
{
	unsigned long first = ERR_get_error();
	const char *reason;

	ERR_clear_error();
	if (first == 0)
		return "no OpenSSL error reported";
	reason = ERR_reason_error_string(first);
	return reason ? reason : psprintf("OpenSSL error %lu", first);
}

static void
unset_setting_error(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("setting %s is not set", name),
			 errhint("Set mentor.signing_key_file and mentor.signing_cert_file in postgresql.conf to the signing key and its certificate (PEM), then SELECT pg_reload_conf().")));
}

/*
 * The rules PostgreSQL applies to ssl_key_file (be-secure-common.c).
 */
static void
check_key_file(const char *path, struct stat *st)
{
	if (stat(path, st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not access signing key file \"%s\": %m", path)));
	if (!S_ISREG(st->st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("signing key file \"%s\" is not a regular file", path)));
	if (st->st_uid != geteuid() && st->st_uid != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("signing key file \"%s\" must be owned by the database user or root", path)));
	if ((st->st_uid == geteuid() && (st->st_mode & (S_IRWXG | S_IRWXO))) ||
		(st->st_uid == 0 && (st->st_mode & (S_IWGRP | S_IXGRP | S_IRWXO))))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("signing key file \"%s\" has group or world access", path),
				 errdetail("File must have permissions u=rw (0600) or less if owned by the database user, or permissions u=rw,g=r (0640) or less if owned by root.")));
}

static time_t
file_mtime(const char *path, const char *what)
{
	struct stat st;

	if (stat(path, &st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not access signing %s file \"%s\": %m", what, path)));
	return st.st_mtime;
}

static void
free_signer(MentorSigner *s)
{
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	s->key = NULL;
	s->cert = NULL;
	s->chain = NULL;
}

/*
 * RSA keys of 2048 bits or more and EC keys, and EdDSA for OpenSSL versions
 * that sign CMS with it.  Other types are refused: OpenSSL 3.0's CMS labels
 * an RSA-PSS signature as rsaEncryption, so such an export would never
 * verify.
 */
static void
check_key_type(EVP_PKEY *key, const char *path)
{
	int			type = EVP_PKEY_get_base_id(key);
	const char *hint = "Use an RSA key of 2048 bits or more, or an EC P-256/P-384 key.";

	if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC &&
		type != EVP_PKEY_ED25519 && type != EVP_PKEY_ED448)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("signing key file \"%s\" holds a %s key, which cannot sign exports",
						path, OBJ_nid2sn(type)),
				 errhint("%s", hint)));
	if (type == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) < 2048)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("signing key file \"%s\" holds a %d-bit RSA key", path,
						EVP_PKEY_get_bits(key)),
				 errhint("%s", hint)));
}

static BIO *
open_pem(const char *path, const char *what)
{
	BIO		   *bio = BIO_new_file(path, "r");

	if (bio == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not open signing %s file \"%s\": %s",
						what, path, mentor_openssl_error())));
	return bio;
}

/*
 * Read the three files into *s; on any error *s is freed and the error
 * raised.
 */
static void
read_signer(MentorSigner *s, const char *key_path, const char *cert_path,
			const char *chain_path)
{
	BIO		   *volatile bio = NULL;

	PG_TRY();
	{
		bio = open_pem(key_path, "key");
		s->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *) "");
		if (s->key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("could not read signing key file \"%s\": %s",
							key_path, mentor_openssl_error()),
					 errhint("The key must be an unencrypted PEM private key.")));
		BIO_free(bio);
		bio = NULL;
		check_key_type(s->key, key_path);

		bio = open_pem(cert_path, "certificate");
		s->cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (s->cert == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("could not read signing certificate file \"%s\": %s",
							cert_path, mentor_openssl_error())));
		BIO_free(bio);
		bio = NULL;
		if (X509_check_private_key(s->cert, s->key) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("signing certificate \"%s\" does not match the signing key: %s",
							cert_path, mentor_openssl_error())));

		s->chain = sk_X509_new_null();
		if (s->chain == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		if (chain_path[0] != '\0')
		{
			X509	   *ca;

			bio = open_pem(chain_path, "chain");
			while ((ca = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
			{
				if (!sk_X509_push(s->chain, ca))
				{
					X509_free(ca);
					ereport(ERROR,
							(errcode(ERRCODE_OUT_OF_MEMORY),
							 errmsg("out of memory")));
				}
			}
			ERR_clear_error();	/* the end of the file */
			BIO_free(bio);
			bio = NULL;
		}
	}
	PG_CATCH();
	{
		BIO_free(bio);
		free_signer(s);
		PG_RE_THROW();
	}
	PG_END_TRY();
}

static bool
same_path(const char *loaded, const char *setting)
{
	return loaded != NULL && strcmp(loaded, setting) == 0;
}

static char *
keep_path(char *old, const char *path)
{
	if (old)
		pfree(old);
	return MemoryContextStrdup(TopMemoryContext, path);
}

/*
 * The signer, loaded or reloaded as the settings and files say now.
 */
const MentorSigner *
mentor_signer(void)
{
	const char *key_path = mentor_signing_key_file ? mentor_signing_key_file : "";
	const char *cert_path = mentor_signing_cert_file ? mentor_signing_cert_file : "";
	const char *chain_path = mentor_signing_chain_file ? mentor_signing_chain_file : "";
	struct stat key_st;
	time_t		cert_mtime;
	time_t		chain_mtime = 0;
	MentorSigner fresh = {NULL, NULL, NULL};

	/* files are checked once per statement: a bulk export stats them once */
	if (signer.key != NULL &&
		checked_in_statement == GetCurrentStatementStartTimestamp() &&
		same_path(loaded_key_file, key_path) &&
		same_path(loaded_cert_file, cert_path) &&
		same_path(loaded_chain_file, chain_path))
		return &signer;

	if (key_path[0] == '\0')
		unset_setting_error("mentor.signing_key_file");
	if (cert_path[0] == '\0')
		unset_setting_error("mentor.signing_cert_file");

	/* checked on every call: a key made readable since is refused at once */
	check_key_file(key_path, &key_st);
	cert_mtime = file_mtime(cert_path, "certificate");
	if (chain_path[0] != '\0')
		chain_mtime = file_mtime(chain_path, "chain");

	if (signer.key != NULL &&
		same_path(loaded_key_file, key_path) && loaded_key_mtime == key_st.st_mtime &&
		same_path(loaded_cert_file, cert_path) && loaded_cert_mtime == cert_mtime &&
		same_path(loaded_chain_file, chain_path) && loaded_chain_mtime == chain_mtime)
	{
		checked_in_statement = GetCurrentStatementStartTimestamp();
		return &signer;
	}

	ERR_clear_error();
	read_signer(&fresh, key_path, cert_path, chain_path);
	free_signer(&signer);
	signer = fresh;
	loaded_key_file = keep_path(loaded_key_file, key_path);
	loaded_cert_file = keep_path(loaded_cert_file, cert_path);
	loaded_chain_file = keep_path(loaded_chain_file, chain_path);
	loaded_key_mtime = key_st.st_mtime;
	loaded_cert_mtime = cert_mtime;
	loaded_chain_mtime = chain_mtime;
	checked_in_statement = GetCurrentStatementStartTimestamp();
	return &signer;
}
