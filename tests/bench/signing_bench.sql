-- tests/bench/signing_bench.sql: signed exports per second with the
-- configured key (tests/bench/run.sh sets up EC P-256), and the backend's
-- memory across 2 x 10,000 exports in one session: RSS (which counts
-- OpenSSL's malloc, and shared buffers as the backend first touches them)
-- and PostgreSQL's memory contexts.
\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;

INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site)
SELECT 'S' || i, 'Signed Mentor ' || i, 'mining', 8, 'Mine-' || (i % 20)
FROM generate_series(1, 10000) i;
INSERT INTO mentor.certificate (employee_id, serial, course_hours, test_passed, issued_on)
SELECT employee_id, 'MC-B-' || employee_id, 16, true, current_date - 10
FROM mentor.employee WHERE personnel_no LIKE 'S%';

CREATE TEMP TABLE figures (what text, value numeric);
CREATE FUNCTION pg_temp.rss_kb() RETURNS numeric LANGUAGE sql AS $$
	SELECT substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\s+(\d+) kB')::numeric $$;
CREATE FUNCTION pg_temp.contexts_kb() RETURNS numeric LANGUAGE sql AS $$
	SELECT round(sum(total_bytes) / 1024.0) FROM pg_backend_memory_contexts $$;
CREATE FUNCTION pg_temp.export_all(label text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); n bigint; bytes bigint;
BEGIN
	SELECT count(*), sum(length(mentor.export_certificate(certificate_id)))
	INTO n, bytes
	FROM mentor.certificate WHERE serial LIKE 'MC-B-%';
	INSERT INTO figures VALUES
		(label || ' exports/s', round(n / extract(epoch FROM clock_timestamp() - t0))),
		(label || ' average DER bytes', round(bytes::numeric / n)),
		(label || ' backend RSS after (kB)', pg_temp.rss_kb()),
		(label || ' memory contexts after (kB)', pg_temp.contexts_kb());
END $$;

-- warm up: key loaded, plans made, caches filled
SELECT count(mentor.export_certificate(certificate_id)) FROM mentor.certificate WHERE serial LIKE 'MC-B-%' AND certificate_id % 100 = 0;
INSERT INTO figures VALUES ('backend RSS before (kB)', pg_temp.rss_kb()),
	('memory contexts before (kB)', pg_temp.contexts_kb());
SELECT pg_temp.export_all('round 1 (10,000):');
SELECT pg_temp.export_all('round 2 (10,000):');

\unset QUIET
SELECT what, value FROM figures;
