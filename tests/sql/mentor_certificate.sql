-- mentor_certificate: mentor_course_hours, the validity period and its
-- boundaries, revocation, expiring_certificates
\i tests/sql/fixture.psql

-- mentor_course_hours: a short course or a failed test is refused
SELECT public.expect($$SELECT mentor.issue_certificate(3, '2026-02-01', 15.5)$$);
SELECT public.expect($$SELECT mentor.issue_certificate(3, '2026-02-01', 16, false)$$);
SELECT public.expect($$INSERT INTO mentor.certificate (employee_id, serial, course_hours, test_passed, issued_on)
	VALUES (3, 'X-1', 8, true, '2026-02-01')$$);
SELECT count(*) AS certificates FROM mentor.certificate WHERE employee_id = 3;
SELECT public.expect($$SELECT mentor.issue_certificate(3, '2026-02-01', 24)$$);

-- valid through issued_on + 3 years - 1 day, whatever the writer says
SELECT serial, issued_on, valid_until FROM mentor.certificate ORDER BY certificate_id;
INSERT INTO mentor.certificate (employee_id, serial, course_hours, test_passed, issued_on, valid_until)
VALUES (9, 'X-2', 16, true, '2024-02-29', '2099-12-31');
SELECT serial, issued_on, valid_until, valid_until = (issued_on + interval '3 years')::date - 1 AS as_spec
FROM mentor.certificate WHERE serial = 'X-2';
UPDATE mentor.certificate SET valid_until = '2099-12-31' WHERE serial = 'X-2';
SELECT valid_until FROM mentor.certificate WHERE serial = 'X-2';

-- certificate_valid: the day before issue, the first day, the last valid
-- day and the day after it
SELECT d, mentor.certificate_valid(1, d::date)
FROM unnest(ARRAY['2026-01-09', '2026-01-10', '2029-01-09', '2029-01-10']) d;
SELECT mentor.certificate_valid(4, '2026-06-01') AS never_certified;

-- revocation ends validity from its day on
SELECT public.expect($$SELECT mentor.revoke_certificate(2, '2026-06-01', 'safety breach')$$);
SELECT mentor.certificate_valid(2, '2026-05-31') AS day_before, mentor.certificate_valid(2, '2026-06-01') AS revoked;
SELECT public.expect($$SELECT mentor.revoke_certificate(999)$$);
-- and a revoked certificate no longer lets its holder start production pairings
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 2, '2026-06-01')$$);
SELECT public.expect($$SELECT mentor.assign_pairing('production', 4, 2, '2026-05-31')$$);

-- expiring_certificates: within 90 days of 2028-12-01, Ivan's expires on 2029-01-09
SELECT * FROM mentor.expiring_certificates('90 days', '2028-12-01');
-- a renewal hides the old certificate from the list
SELECT mentor.issue_certificate(1, '2028-12-15') IS NOT NULL AS renewed;
SELECT * FROM mentor.expiring_certificates('90 days', '2028-12-01');
SELECT employee_id, serial, days_left FROM mentor.expiring_certificates('1200 days', '2026-03-01');

-- settings: only a superuser may change them, and they apply at once
SET mentor.course_hours = 8;
SELECT public.expect($$SELECT mentor.issue_certificate(4, '2026-02-01', 8)$$);
RESET mentor.course_hours;
SET mentor.certificate_years = 5;
SELECT mentor.issue_certificate(5, '2026-02-01') AS five_years \gset
SELECT issued_on, valid_until FROM mentor.certificate WHERE certificate_id = :five_years;
RESET mentor.certificate_years;

-- the certificate document (the bytes an export signs) is written by
-- libxml2: markup characters, quotes and line breaks in names escaped, so
-- that a parser reads back exactly what the tables hold (1.0 wrote a tab
-- or newline in the personnel number raw, which parsers turn into spaces)
UPDATE mentor.employee SET full_name = E'Ольга "Смирнова" & <Co>\r\nline two',
	personnel_no = E'A"<&>\t2\n' WHERE employee_id = 2;
SELECT convert_from(mentor.certificate_document(c.certificate_id), 'UTF8') AS document
FROM mentor.certificate c WHERE c.employee_id = 2 ORDER BY c.certificate_id LIMIT 1;
SELECT x.no = E'A"<&>\t2\n' AS personnel_no_read_back,
	x.name = E'Ольга "Смирнова" & <Co>\r\nline two' AS name_read_back
FROM mentor.certificate c,
	XMLTABLE(XMLNAMESPACES('urn:mentor:certificate:1' AS m), '/m:certificate/m:mentor'
		PASSING (convert_from(mentor.certificate_document(c.certificate_id), 'UTF8')::xml)
		COLUMNS no text PATH '@personnelNo', name text PATH 'm:fullName') x
WHERE c.employee_id = 2 ORDER BY c.certificate_id LIMIT 1;
