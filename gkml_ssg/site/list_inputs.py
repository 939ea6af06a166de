"""What each page that lists other pages (home, legal-basis index, law pages, sitemap, feed, …)
is made from: its render key. Two builds that give such a page the same inputs give it the same
bytes, so the build renders it again only when they change."""

from __future__ import annotations

from gkml_ssg.site.graph import Page, SiteGraph, in_sitemap
from gkml_ssg.site.kinds import PageKind

_AUDIT_KINDS = (
    PageKind.AUDIT, PageKind.REFERENCE, PageKind.REFERENCE_PROVINCE, PageKind.DEADLINES, PageKind.DEADLINE,
    PageKind.DEADLINE_PROVINCE, PageKind.COMPARE,
)  # fmt: skip


def _audit_inputs(site: SiteGraph, page: Page) -> list[str]:
    """What an auditors' page shows of the agencies (see `audit_view`)."""
    audit, kind = site.audit, page.kind
    if kind is PageKind.AUDIT:
        return [str(len(site.summaries)), str(len(audit.deadlines)), *(repr(audit.covered_counts(r)) for r in audit.references)]
    if kind in (PageKind.REFERENCE, PageKind.REFERENCE_PROVINCE):
        assert page.reference is not None
        if kind is PageKind.REFERENCE and audit.split():
            return [repr(audit.by_province(page.reference)), repr(audit.covered_counts(page.reference))]
        return [
            f"{row.agency.path}|{row.agency.name}|{row.agency.province}|{row.agency.city}|{row.agency.county}|"
            + ",".join(number for number, matches in row.found.items() if matches)
            for row in audit.rows(page.reference, page.province)
        ]
    if kind is PageKind.DEADLINES:
        return [f"{use.wording}|{use.period}|{len(use.uses)}|{use.agency_count}" for use in audit.deadlines]
    if kind in (PageKind.DEADLINE, PageKind.DEADLINE_PROVINCE):
        use = page.deadline
        assert use is not None
        header = f"{use.wording}|{use.period}|{len(use.uses)}|{use.agency_count}|{audit.deadline_split(use)}"
        if kind is PageKind.DEADLINE and audit.deadline_split(use):
            return [header, repr(audit.deadline_provinces(use))]
        return [
            header,
            *(
                repr((agency.path, agency.name, [(line.path, line.title) for line in lines]))
                for agency, lines in audit.deadline_agencies(use, page.province)
            ),
        ]
    return [f"{s.slug}|{s.name}|{s.path}|{s.province}|{s.city}|{s.county}" for s in site.summaries]  # the comparison page


def listing_inputs(site: SiteGraph, page: Page) -> list[str]:
    """What a page outside the agencies (home, legal-basis index, law pages, sitemap, …) shows of
    the page graph; its template reads nothing else from it besides the site configuration. Two
    builds that give such a page the same inputs give it the same bytes, so the build renders it
    again only when they change (an agency's edit touches the few lists that show what it changed)."""
    # every page links to the feed when there is one
    own = [page.kind.value, page.path, page.title, page.province or "", str(page.part or ""), str(bool(site.history.commits))]
    kind = page.kind
    if kind is PageKind.HOME:
        return [*own, *(f"{a.path}|{a.slug}|{a.name}|{a.province}|{a.city}|{a.county}|{a.entry_counts}" for a in site.summaries)]
    if kind is PageKind.LEGAL_BASIS:
        return [*own, *(f"{law.key}|{law.titled}|{law.agency_count}|{law.citation_count}" for law in site.laws)]
    if kind in (PageKind.LAW, PageKind.LAW_PROVINCE):
        assert page.law is not None
        law = page.law
        header = f"{law.key}|{law.titled}|{law.split_by_province}|{law.agency_count}|{law.citation_count}"
        if page.province is not None:
            return [*own, header, *law.citing_inputs(page.province)]
        if law.split_by_province:
            return [*own, header, repr(law.wordings()), repr(law.provinces())]
        return [*own, header, *law.citing_inputs()]
    if kind in (PageKind.SITEMAP, PageKind.SITEMAP_PART):
        # the addresses listed, in order: those of the lists, and a hash of each agency's
        return [
            *own,
            *(p.path for p in site.list_pages if in_sitemap(p)),
            *(f"{s.path}|{s.page_count}|{s.paths_digest}" for s in site.summaries),
        ]
    if kind is PageKind.FEED:
        return [
            *own,
            *(
                "|".join(
                    (e.commit.id, e.commit.date, e.commit.subject, *(f"{a.path}={a.name}" for a in e.agencies), *e.other_paths)
                )
                for e in site.feed
            ),
        ]
    if kind in (PageKind.SEARCH, PageKind.NOT_FOUND, PageKind.ROBOTS):
        return own
    if kind in _AUDIT_KINDS:
        # the reference catalogues themselves are in the settings (a change re-renders every page)
        return [*own, *_audit_inputs(site, page)]
    raise ValueError(f"{kind} is an agency's page, not a listing")
