-- mentor_calendar_import: import_calendar (xml/calendar_import.c) loads a
-- year in the xmlcalendar.ru format, all or nothing, replacing that year's
-- rows of one calendar
\i tests/sql/fixture.psql
\set ru2025 `base64 -w0 xml/samples/calendar/ru-2025.xml`
INSERT INTO mentor.calendar (code, title) VALUES ('ru', 'Russian Federation');
CREATE TEMP VIEW ru_days AS
	SELECT day, kind, name, moved_from FROM mentor.calendar_day WHERE calendar = 'ru' ORDER BY day;
-- a fingerprint of every calendar day: a refused document changes nothing
CREATE TEMP VIEW fingerprint AS
	SELECT count(*) AS days, md5(string_agg(d::text, ',' ORDER BY calendar, day)) AS digest
	FROM mentor.calendar_day d;

-- 2025: Saturday 11-01 a shortened working day, its day off moved to
-- Monday 11-03, National Unity Day 11-04 (the holiday's title is the name)
SELECT * FROM mentor.import_calendar(decode(:'ru2025', 'base64'), 'ru');
SELECT * FROM ru_days;
SELECT mentor.add_working_days('2025-10-30', 3, 'ru') AS third_after_thursday;
-- loading the same year again changes nothing and writes no audit row
SELECT count(*) AS audit_rows FROM mentor.audit_log WHERE table_name = 'calendar_day' \gset
SELECT * FROM mentor.import_calendar(decode(:'ru2025', 'base64'), 'ru');
SELECT count(*) - :audit_rows AS new_audit_rows FROM mentor.audit_log WHERE table_name = 'calendar_day';

-- 2026 as text: New Year holidays through 01-08, 01-09 a day off moved from
-- Saturday 01-03, 12-31 from Sunday 01-04; 2025's rows stay
SELECT * FROM mentor.import_calendar($$<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2026" lang="ru" date="2025.09.01" country="ru">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.02" t="1" h="1"/><day d="01.05" t="1" h="1"/>
    <day d="01.06" t="1" h="1"/><day d="01.07" t="1" h="1"/><day d="01.08" t="1" h="1"/>
    <day d="01.09" t="1" f="01.03"/>
    <day d="12.31" t="1" f="01.04"/>
  </days>
</calendar>$$, 'ru');
SELECT mentor.add_working_days('2026-01-08', 3, 'ru') AS third_after_jan_8;
SELECT count(*) AS days_2025 FROM mentor.calendar_day WHERE calendar = 'ru' AND day < '2026-01-01';

-- a corrected 2025: one day changed, one gone, one new; the audit log has
-- exactly those three changes
SELECT count(*) AS audit_rows FROM mentor.audit_log WHERE table_name = 'calendar_day' \gset
SELECT * FROM mentor.import_calendar($$<calendar year="2025">
  <days><day d="11.01" t="3"/><day d="11.03" t="1" f="11.01"/><day d="12.31" t="2"/></days>
</calendar>$$, 'ru');
SELECT action, coalesce(new ->> 'day', old ->> 'day') AS day, (old ->> 'kind') AS old_kind, (new ->> 'kind') AS new_kind
FROM mentor.audit_log WHERE table_name = 'calendar_day' ORDER BY audit_id OFFSET :audit_rows;
-- the default calendar (and so mentor.holiday) is the default target
SELECT * FROM mentor.import_calendar('<calendar year="2027"><holidays><holiday id="1" title="New Year"/></holidays><days><day d="01.01" t="1" h="1"/></days></calendar>');
SELECT * FROM mentor.holiday WHERE day >= '2027-01-01';

-- bad documents: each refused whole, the calendars unchanged
SELECT * FROM fingerprint \gset before_
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<!DOCTYPE calendar [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<calendar year="2025"><days><day d="01.01" t="1" h="&x;"/></days></calendar>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days><day d="01.01" t="1"/></days>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('   ', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days><day d="01.01" t="4"/></days></calendar>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days><day d="02.29" t="1"/></days></calendar>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days><day d="05.01" t="1"/><day d="05.01" t="3"/></days></calendar>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days><day d="05.01" t="1" h="7"/></days></calendar>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days><day d="05.02" t="1" f="02.30"/></days></calendar>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<agreement xmlns="urn:mentor:agreement:1"/>', 'ru')$$);
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days/></calendar>', 'nowhere')$$);
-- a flood of days stops at the bound (a year has at most 366)
SELECT public.expect(format($$SELECT * FROM mentor.import_calendar(%L, 'ru')$$,
	'<calendar year="2024"><days>' || repeat('<day d="01.01" t="1"/>', 400) || '</days></calendar>'));
SET mentor.xml_max_bytes = 1024;
SELECT public.expect($$SELECT * FROM mentor.import_calendar(repeat(' ', 1025) || '<calendar year="2025"><days/></calendar>', 'ru')$$);
RESET mentor.xml_max_bytes;
-- NULL arguments: the function is strict, nothing happens
SELECT count(*) AS rows FROM mentor.import_calendar(NULL::text, 'ru');
SELECT count(*) AS rows FROM mentor.import_calendar(NULL::bytea, 'ru');
SELECT count(*) AS rows FROM mentor.import_calendar('<calendar year="2025"><days/></calendar>', NULL);
SELECT days = :before_days AND digest = :'before_digest' AS unchanged FROM fingerprint;
-- an empty year is a year without exceptions: loading one deletes its rows
SELECT * FROM mentor.import_calendar('<calendar year="2026"><days/></calendar>', 'ru');
SELECT * FROM fingerprint \gset before_

-- a role that may read the calendar tables but not write them cannot load one
CREATE ROLE calendar_reader;
GRANT USAGE ON SCHEMA mentor TO calendar_reader;
GRANT SELECT ON mentor.calendar, mentor.calendar_day TO calendar_reader;
SET ROLE calendar_reader;
SELECT public.expect($$SELECT * FROM mentor.import_calendar('<calendar year="2025"><days/></calendar>', 'ru')$$);
RESET ROLE;
REVOKE ALL ON SCHEMA mentor FROM calendar_reader;
REVOKE ALL ON mentor.calendar, mentor.calendar_day FROM calendar_reader;
DROP ROLE calendar_reader;
SELECT days = :before_days AND digest = :'before_digest' AS unchanged FROM fingerprint;
-- PostgreSQL's own xml functions still work in this session
SELECT xpath('/a/text()', '<a>still fine</a>'::xml) AS xpath_after_imports;
