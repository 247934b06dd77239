#!/usr/bin/env bash
# po/update.sh: after messages in the C changed, extract them again and
# merge them into po/ru.po (new ones untranslated, changed ones fuzzy), the
# usual gettext workflow; then translate and check with msgfmt -c.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
xgettext -o "$pot" --from-code=UTF-8 -k -kerrmsg -kerrdetail -kerrhint \
	-kerrmsg_plural:1,2 -kerrdetail_plural:1,2 -kerrhint_plural:1,2 -kerrdetail_log \
	--flag=errmsg:1:c-format --flag=errdetail:1:c-format --flag=errhint:1:c-format \
	--flag=errmsg_plural:1:c-format --flag=errmsg_plural:2:c-format \
	--flag=errdetail_plural:1:c-format --flag=errdetail_plural:2:c-format \
	extension/*.c xml/*.c
sed -i "s/charset=CHARSET/charset=UTF-8/" "$pot"
msgmerge --quiet --update --backup=none po/ru.po "$pot"
msgfmt -c --statistics -o /dev/null po/ru.po
