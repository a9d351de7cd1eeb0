"""Where the frameworks' criteria come from, in words people can follow up.

The framework files cite efl's research notes by source number (``[S19]``) and the councils'
documents efl was built from by seed number (``seed 001``). Neither file ships with efl, so
:func:`source_words` turns each citation into the public web address or the document's name.
"""

from __future__ import annotations

import re

# Source numbers in the research notes and the public pages they are.
SOURCES = {
    1: "https://www.local.gov.uk/our-support/equalities-hub/equality-framework-local-government",
    2: "https://www.local.gov.uk/publications/equality-framework-local-government-eflg-2021",
    3: "https://www.local.gov.uk/our-support/guidance-and-resources/equality-frameworks/equality-peer-challenge",
    4: "https://www.local.gov.uk/our-support/equalities-hub/equality-peer-challenge",
    5: "https://nwleics.gov.uk/pages/equality_standard_for_local_government",
    6: "https://www.hinckley-bosworth.gov.uk/info/200041/equality_and_diversity/695/equality_framework_for_local_government",
    7: "http://www.idea.gov.uk/idk/core/page.do?pageId=9491107",
    8: "https://www.melton.gov.uk/strategies/equality-diversity-and-cohesion/equality-framework-for-local-government/",
    10: "https://www.hants.gov.uk/decisions/decisions-docs/031128-socprc-R1125094547",
    11: "http://www.essex-fire.gov.uk/Media/Equality__Diversity/Equality_Standard/",
    12: "https://experts123.com/q/what-is-the-equality-standard-for-local-government.html",
    13: "http://www.iwight.co.uk/equality_and_diversity/equality_standards.asp",
    14: "http://www.worcestershire.gov.uk/cms/equality-and-diversity/equality-framework.aspx",
    15: "http://interesting-times-in-leeds.blogspot.com/2009/04/equality-framework-for-local-government.html",
    16: "http://publicsectorblog.practicallaw.com/frameworks-for-compliance-with-equalities-legislation",
    17: "https://www.melton.gov.uk/strategies/equality-diversity-and-cohesion/equality-framework-for-local-government/",
    18: "http://www.local.gov.uk/equality-frameworks",
    19: "https://dokumen.tips/documents/equality-framework-for-local-government-eflg-2018-version-improvement-of-the-quality.html",
    20: "https://fdocuments.in/document/equality-framework-for-local-government-eflg-2020-version-the-equality-framework.html",
    21: "http://oip.transportgenderobservatory.eu/initiatives-contribution-30",
    22: "https://old.cornwall.gov.uk/community-and-living/equality-and-diversity/equality-framework-for-local-government/",
    23: "https://www.n-kesteven.gov.uk/your-council/facts-and-figures-about-the-council/equality-and-diversity/equality-framework-for-local-government/",
    24: "https://www.york.gov.uk/info/20148/equality_and_diversity/995/equality_framework_for_local_government",
    25: "https://www.oadby-wigston.gov.uk/pages/equality_framework_for_local_government",
    26: "https://docsbay.net/Equality-Framework-For-Local-Government-Achieving-Level-Self-Assessment",
    27: "https://community.newcastle.gov.uk/projects/content/equality-framework-local-government",
    28: "https://moderngovwebpublic.bromsgrove.gov.uk/ieIssueDetails.aspx?IId=6162&Opt=3&PlanId=0",
    29: "https://www2.oxfordshire.gov.uk/cms/node/98749",
    30: "http://www.worcestershire.gov.uk/cms/equality-and-diversity/equality-framework.aspx?theme=textlarge",
    31: "https://community.newcastle.gov.uk/projects/content/work-local-strategic-partnership",
    32: "https://cdn.slideserve.com/afya/the-equality-framework-for-local-government-powerpoint-ppt-presentation",
    33: "https://bethanevans.co.uk/12-equalities-diversity-and-inclusion-contribute-to-a-fair-equitable-and-inclusive-culture/",
    34: "https://eastdevon.gov.uk/council-and-democracy/equality-and-diversity/equality-policy-and-strategy-2017-20/appendix-3-equality-framework-for-local-government/",
    35: "https://gateshead.gov.uk/article/21334/Understanding-and-working-with-your-communities",
    36: "https://gateshead.gov.uk/article/30273/Understanding-and-working-with-your-communities",
    37: "https://gateshead.gov.uk/article/30279/Equality-and-diversity-report",
    38: "https://www.gateshead.gov.uk/article/21331/Equality-and-diversity-report",
    39: "https://gateshead.gov.uk/article/21335/Responsive-services-and-customer-care",
    40: "https://gateshead.gov.uk/article/30271/Responsive-services-and-customer-care",
    41: "https://gateshead.gov.uk/article/30264/Diverse-and-engaged-workforce",
    42: "https://gateshead.gov.uk/article/29630/Our-equality-diversity-and-inclusion-strategic-approach",
    43: "https://www.brent.gov.uk/council-news/press-releases/pr6272/",
    44: "http://democracy.brent.gov.uk/mgAi.aspx?ID=16883",
    45: "https://new.enfield.gov.uk/services/your-council/equality-framework-for-local-government/",
    46: "https://democracy.rushmoor.gov.uk/mgAi.aspx?ID=7240",
    47: "https://democracy.somerset.gov.uk/mgDecisionDetails.aspx?IId=6933&Opt=1",
    48: "https://democracy.winchester.gov.uk/ieDecisionDetails.aspx?Id=1251",
    49: "https://towerhamlets.gov.uk/lgnl/community_and_living/Equalities_in_Tower_Hamlets/Corporate-Equalities-Plan/Measuring-success.aspx",
    50: "https://www.west-dunbarton.gov.uk/council/strategies-plans-and-policies/council-wide-plans-and-strategies/equality-diversity-and-fairness/mainstreaming-report-and-equality-outcomes/",
    51: "https://eastdevon.gov.uk/council-and-democracy/equality-and-diversity/equality-at-east-devon/",
    52: "http://legislation.data.gov.uk/uksi/2011/2260/made/data.xht?view=snippet&wrap=true",
    53: "https://legislation.gov.uk/uksi/2011/2260/note/made",
    54: "https://www.equallyours.org.uk/enforcement-of-equality-act-specific-duties-regulations/",
    55: "http://www.xperthr.co.uk/faq/what-are-the-specific-public-sector-equality-duties/109758/",
    56: "http://www.admin.ox.ac.uk/eop/equalityact/equalityobjectives/",
    57: "http://blog.wideaware.co.uk/archive/32/the-new-equality-act-2010-public-authority-specific-duties-have-been-published",
    58: "https://www.legislation.gov.uk/uksi/2017/353/body",
    59: "http://www.legislation.gov.uk./uksi/2017/353/note?view=plain",
    60: "https://legislation.gov.uk/cy/uksi/2017/353/regulation/4",
    61: "http://www.legislation.gov.uk./uksi/2017/353/schedule/1/paragraph/2/2017-03-31/data.html",
    62: "http://www.legislation.gov.uk./uksi/2017/353/schedule/1/paragraph/1/data.html",
    63: "https://newlandsofstow.co.uk/gender-pay-gap",
    64: "https://www.wiltshire.gov.uk/equality-diversity-gender-pay-gap",
    65: "https://www.legislation.gov.uk/uksi/2017/172/regulation/8/made/data.xht?view=snippet&wrap=true",
    66: "http://www.legislation.gov.uk/uksi/2017/172/regulation/12/made/data.xht?view=snippet&wrap=true",
    67: "https://www.legislation.gov.uk/uksi/2017/172/regulation/13/made/data.xht?view=snippet&wrap=true",
    68: "http://www.xperthr.co.uk/faq/how-is-bonus-defined-for-the-purposes-of-reporting-an-organisations-gender-pay-gap-and-gender-bonus-gap/160146/",
    69: "https://esphr.co.uk/new-guidance-for-ethnicity-pay-reporting",
    70: "https://www.burges-salmon.com/news-and-insight/legal-updates/employment/ethnicity-pay-gap-reporting-key-focus-areas-for-employers",
    71: "https://lewissilkin.com/en/insights/ethnicity-pay-gap-reporting-guidance-published",
    72: "https://bucksfire.gov.uk/?p=27173",
    73: "https://www.lexology.com/library/detail.aspx?g=e31481eb-0a10-480d-be7b-ca62462bc809",
    74: "http://www.ukemploymenthub.com/government-framework-for-voluntary-reporting-on-disability-mental-health-and-wellbeing-what-is-expected-of-employers/",
    75: "https://www.astriid.org/news/mandatory-disability-reporting/",
    76: "https://gov.uk/government/consultations/equality-race-and-disability-bill-mandatory-ethnicity-and-disability-pay-gap-reporting",
    77: "https://thompsonstradeunion.law/news/employment-law-review/weekly-issue-880/government-opens-consultation-on-ethnicity-and-disability-pay-gap-reporting",
    78: "https://www.wrigleys.co.uk/news/employment-hr/the-future-of-workplace-equality--proposed-legislation-on-ethnicity-and-disability-pay-reporting-",
    79: "https://www.gov.uk/government/consultations/equality-race-and-disability-bill-mandatory-ethnicity-and-disability-pay-gap-reporting/outcome/annex-a-draft-primary-legislation",
    80: "https://gateshead.gov.uk/article/29637/Our-workforce-commitments",
    81: "https://www.cheltenham.gov.uk/info/63/equality_and_diversity/189/equality_and_diversity_in_cheltenham/2",
    82: "https://www.northlanarkshire.gov.uk/node/2547",
    83: "http://richmond.gov.uk/council/how_we_work/policies_and_plans/equality_and_diversity/roles_and_responsibilities_for_monitoring",
    84: "https://www.barnsley.gov.uk/services/accessibility/equality-and-diversity/",
    85: "https://www.tmbc.gov.uk/council/equality-policy-statement-objectives-2022-–-2026",
    86: "https://maidstone.gov.uk/home/primary-services/council-and-democracy/primary-areas/information-and-data/tier-3-primary-areas/equalities",
    87: "https://eastdevon.gov.uk/council-and-democracy/equality-and-diversity/equality-policy-and-objectives-2021-2025/why-has-the-council-introduced-this-policy-and-associated-objectives/",
}

# The councils' documents efl's worked examples and criteria were drawn from.
SEEDS = {
    "000": "London Councils' page on promoting equalities",
    "001": "the London Borough of Bexley's Equality Policy",
    "002": "Leicestershire County Council's slides on its 2016-20 Equality Strategy",
    "003": "the London Borough of Harrow's cabinet report on equality objectives",
    "004": "Leicester City Council's Corporate Equality Strategy and Action Plan",
}

_CODES = re.compile(r"\s*((?:\[S\d+b?\])+)")
_NOTES = re.compile(r"\beflg-facts\s*(?:§\s*[\d.]+)?\s*")
_SEED = re.compile(r"\bseeds?\s+(\d{3})")


def _addresses(codes: str) -> str:
    found = [SOURCES.get(int(n)) for n in re.findall(r"S(\d+)", codes)]
    found = list(dict.fromkeys(a for a in found if a))
    return f" ({'; '.join(found)})" if found else ""


def source_words(text: str) -> str:
    """``eflg-facts §4 kyc.collecting [S19]; seed 001 section 7`` as addresses and document names."""
    text = _CODES.sub(lambda m: _addresses(m.group(1)), text)
    text = _SEED.sub(lambda m: SEEDS.get(m.group(1), "a council's published document"), text)
    text = _NOTES.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ;,")
