"""Write the standards' Frictionless table schemas and the input -> release crosswalk.

A developer tool, run by hand (``python tools/build_standard_schemas.py``) after
``tools/build_codelists.py``. It writes, under ``htwork/standards/data/``:

- ``htcds_input.schema.json``: the input standard (HTCDS v2.0 aligned case-person table);
- ``ctdc_release.schema.json``: the release standard (one row per person, CTDC-shaped);
- ``ctdc_global.schema.json``: the CTDC global dataset as CTDC publishes it (its own columns,
  alpha-2 countries, ``-99`` for missing), so that such a table validates and releases as is;
- ``htcds_to_ctdc.csv``: how each input field and picklist value reaches the release.

The files it writes are the source of truth that ships with the package; this script only
exists so that the picklists are typed once. Edit here, re-run, commit both.
"""

import csv
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "htwork" / "standards" / "data"


def cats(*values, labels=None):
    labels = labels or {}
    return [{"value": v, "label": labels.get(v, _label(v))} for v in values]


def _label(v):
    out = ""
    for i, ch in enumerate(v):
        if ch.isupper() and i and (v[i - 1].islower()):
            out += " "
        out += ch
    return out.replace("_", " ")


GENDER = cats("Male", "Female", "Transgender/NonConforming", "Unknown")
ORG_TYPE = cats(
    "NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation",
    "LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness",
    "InternationalOrganisation", "Hotline",
)
CASE_STATUS = cats("Active", "FollowUp", "Closed", "ClosedReferred")
TRAFFICKING_STATUS = cats(
    "ConfirmedVictim", "PresumedVictim", "PotentialVictim", "NotVictim", "Unknown"
)
EXPLOITATION = cats(
    "ForcedLabour", "SexualExploitation", "ForcedMarriage", "ForcedCriminality",
    "SlaveryAndSimilarPractices", "OrganRemoval", "Other",
)
CONTROL = cats(
    "PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "DebtBondage",
    "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings",
    "RestrictsFinancialAccess", "RestrictsMedicalCare", "WithholdsNecessities",
    "PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours",
    "WithholdsDocuments", "Other",
)
LABOUR_TYPE = cats(
    "Agriculture", "Aquafarming", "Fishing", "Begging", "Construction", "DomesticWork",
    "Hospitality", "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling",
    "Transportation", "OnlineScamOperations", "Other",
)
ISIC = cats(
    "A_AgricultureForestryAndFishing", "B_MiningAndQuarrying", "C_Manufacturing",
    "D_ElectricityGasSteamAndAirConditioningSupply", "E_WaterSupplySewerageWasteManagement",
    "F_Construction", "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "H_TransportationAndStorage", "I_AccommodationAndFoodServiceActivities",
    "J_InformationAndCommunication", "K_FinancialAndInsuranceActivities",
    "L_RealEstateActivities", "M_ProfessionalScientificAndTechnicalActivities",
    "N_AdministrativeAndSupportServiceActivities", "O_PublicAdministrationAndDefence",
    "P_Education", "Q_HumanHealthAndSocialWorkActivities", "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities", "T_ActivitiesOfHouseholdsAsEmployers",
    "U_ActivitiesOfExtraterritorialOrganizations",
)
SEX_TYPE = cats("Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices")
RELATION = cats(
    "IntimatePartner", "FamilyMember", "FriendOrAcquaintance", "Employer", "RecruitmentAgent",
    "Stranger", "Other", "Unknown",
)
RECRUITMENT = cats(
    "Abduction", "EducationalFacility", "Familial", "Internet", "InternationalMarriageBroker",
    "IntimatePartnerOrMarriageProposition", "JobOffer", "PosingAsBenefactor", "PublicArea",
    "OfferOfAccommodation", "Shelter", "SmugglingRansom", "Work", "Other", "Unknown",
)
APPS = cats(
    "Facebook", "Instagram", "WhatsApp", "Telegram", "FacebookMessenger", "Viber", "Line",
    "WeChat", "TikTok", "Twitter", "Other",
)
ID_TYPE = cats("Passport", "NationalID", "BorderPass", "WorkPermit", "None", "Unknown")


#: The disclosure roles a field can play (``htwork:role``); ``htwork:roleReason`` says why.
ROLES = ("direct_identifier", "quasi_identifier", "sensitive", "free_text", "weight", "other")

#: Why a field has its role, where no field-specific reason is given.
ROLE_REASONS = {
    "direct_identifier": "Identifies a person on its own.",
    "quasi_identifier": "Others may know it about a person; combined with other such fields it "
                        "can single a person out.",
    "sensitive": "Reveals what was done to the person: harmful if linked to them.",
    "free_text": "Free text written by caseworkers: it can hold names, places and any other "
                 "identifying detail.",
    "weight": "A survey or sampling weight, not a fact about the person.",
    "other": "Case-management detail, not a fact about the person.",
}


#: Field-specific reasons (the role's default reason otherwise).
REASONS = {
    "cas_CaseId": "The agency's own record number: it points straight to the person's file.",
    "cas_IdentifyingOrganisation": "Names the registering agency: about the case, not the "
                                   "person (with year and place it narrows people down, so "
                                   "the release standard leaves it out).",
    "org_Type": "A category of agency: describes the case, not the person.",
    "cas_GroupId": "Links people identified together: an internal reference, not a fact about "
                   "the person.",
    "cas_RegistrationDate": "A date others may know (when the person came to the agency); "
                            "combined with other such fields it can single a person out.",
    "prs_Gender": "Visible and widely known; combined with age and places it narrows people "
                  "down.",
    "prs_Birthdate": "Known to family, employers and officials; combined with other such "
                     "fields it can single a person out.",
    "prs_Citizenship": "Known to anyone who met the person; combined with other such fields "
                       "it narrows people down.",
    "prs_IdentityDocumentType": "Which kind of document was recorded, not its number.",
    "prs_IdentityDocumentNumber": "A document number identifies a person on its own.",
    "prs_MobilePhone": "A phone number reaches and identifies a person on its own.",
    "prs_Email": "An e-mail address identifies a person on its own.",
    "prs_MailingStreet": "A street address points to one household on its own.",
    "vic_TraffickingStatus": "Says whether the person was a victim of trafficking: harmful if "
                             "linked to them.",
    "vic_AgeWhenTrafficked": "An age others may know or guess; combined with other such fields "
                             "it can single a person out.",
}
for _f in ("prs_FirstName", "prs_SecondName", "prs_Aliases"):
    REASONS[_f] = "A name identifies a person on its own."
for _f in ("prs_MailingCity", "prs_MailingState", "prs_MailingCountry"):
    REASONS[_f] = ("Where the person lives is known to neighbours and officials; combined with "
                   "other such fields it can single a person out.")
for _f in ("vic_CountryOfRecruitment", "vic_LocationOfRecruitment", "vic_CountryOfExploitation",
           "vic_LocationOfExploitation", "CountryOfExploitation"):
    REASONS[_f] = ("A country or place others may know the person came from or went to; "
                   "combined with other such fields it can single a person out.")
REASONS["citizenship"] = REASONS["prs_Citizenship"]
REASONS["gender"] = REASONS["prs_Gender"]
REASONS["yearOfRegistration"] = ("A year others may know (when the person came to an agency); "
                                 "combined with other such fields it can single a person out.")


def _role(f: dict, role: str, reason: str | None) -> None:
    if role not in ROLES:
        raise ValueError(f"{f['name']}: unknown role {role!r}")
    f["htwork:role"] = role
    f["htwork:roleReason"] = reason or REASONS.get(f["name"]) or ROLE_REASONS[role]


def field(name, type_, desc, *, role, reason=None, required=False, categories=None,
          multiple=False, fmt=None, htcds=None, minimum=None, maximum=None, pattern=None,
          codelist=None, unique=False, country_field=None):
    f = {"name": name, "type": type_, "description": desc}
    if fmt:
        f["format"] = fmt
    cons = {}
    if required:
        cons["required"] = True
    if unique:
        cons["unique"] = True
    if minimum is not None:
        cons["minimum"] = minimum
    if maximum is not None:
        cons["maximum"] = maximum
    if pattern:
        cons["pattern"] = pattern
    if categories is not None:
        f["categories"] = categories
        values = [c["value"] for c in categories]
        if multiple:
            # Table Schema patterns are implicitly anchored (XML Schema regular expressions):
            # plain groups, no ^/$, no (?:...). Codes only hold letters, digits, '_' and '/'.
            alt = "|".join(values)
            cons["pattern"] = f"({alt})(;({alt}))*"
        else:
            cons["enum"] = values
    if cons:
        f["constraints"] = cons
    _role(f, role, reason)
    if multiple:
        f["htwork:multiple"] = True
        f["htwork:separator"] = ";"
    if codelist:
        f["htwork:codelist"] = codelist
    if country_field:
        # a region code must lie in the country this other field of the same row names
        f["htwork:country_field"] = country_field
    if htcds:
        f["htwork:htcds"] = htcds
    return f


ISO2 = "[A-Z]{2}"
ISO3166_2 = "[A-Z]{2}-[A-Z0-9]{1,3}"
FIELDS = [
    # --- case -------------------------------------------------------------------------
    field("cas_CaseId", "string", "The identifying organisation's own case or record number.",
          role="direct_identifier", required=True, unique=True, htcds="cas_Name"),
    field("cas_IdentifyingOrganisation", "string",
          "Name of the organisation that identified and registered the person.",
          role="other", required=True, htcds="cas_IdentifyingOrganisation"),
    field("org_Type", "string", "Category of the identifying organisation.",
          role="other", categories=ORG_TYPE, htcds="org_Type"),
    field("cas_GroupId", "string",
          "Identifier shared by people identified together (same operation, family or group).",
          role="other", htcds="cas_GroupId"),
    field("cas_RegistrationDate", "date", "Date the case was registered (ISO 8601, Gregorian).",
          role="quasi_identifier", required=True, htcds="cas_RegistrationDate"),
    field("cas_Status", "string", "Case status.", role="other", categories=CASE_STATUS,
          htcds="cas_Status"),
    field("cas_IncomingReferralDate", "date",
          "Date the organisation accepted an incoming referral of this case.",
          role="other", htcds="cas_IncomingReferralDate"),
    field("cas_ReferringOrganisation", "string", "Organisation that referred the case in.",
          role="other", htcds="cas_ReferringOrganisation"),
    field("cas_OutgoingReferralDate", "date", "Date the case was referred to another organisation.",
          role="other", htcds="cas_OutgoingReferralDate"),
    field("cas_ReferredOrganisation", "string", "Organisation the case was referred to.",
          role="other", htcds="cas_ReferredOrganisation"),
    # --- person -------------------------------------------------------------------------
    field("prs_FirstName", "string", "Given name(s) as recorded.", role="direct_identifier",
          htcds="prs_FirstName"),
    field("prs_SecondName", "string",
          "Family name as recorded (may be empty where people have one name).",
          role="direct_identifier", htcds="prs_SecondName"),
    field("prs_Aliases", "string",
          "Other names or nicknames the person is known by, ';'-separated.",
          role="direct_identifier", htcds="prs_Aliases"),
    field("prs_Gender", "string", "Gender.", role="quasi_identifier", categories=GENDER,
          required=True, htcds="prs_Gender"),
    field("prs_Birthdate", "date", "Date of birth (ISO 8601, Gregorian).",
          role="quasi_identifier", htcds="prs_Birthdate"),
    field("prs_Citizenship", "string", "Citizenship as an ISO 3166-1 alpha-2 code.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166", htcds="prs_Nationality"),
    field("prs_IdentityDocumentType", "string", "Type of identity document recorded.",
          role="other", categories=ID_TYPE, htcds="prs_IdentityDocumentType"),
    field("prs_IdentityDocumentNumber", "string", "Passport, national ID or other document number.",
          role="direct_identifier", htcds="prs_IdentityDocumentNumber"),
    field("prs_MobilePhone", "string", "Mobile phone number, E.164 where known.",
          role="direct_identifier", htcds="prs_MobilePhone"),
    field("prs_Email", "string", "E-mail address.", role="direct_identifier", htcds="prs_Email"),
    field("prs_MailingStreet", "string", "Street part of the home address.",
          role="direct_identifier", htcds="prs_MailingStreet"),
    field("prs_MailingCity", "string", "City, town or village of the home address.",
          role="quasi_identifier", htcds="prs_MailingCity"),
    field("prs_MailingState", "string",
          "First-level region of the home address as an ISO 3166-2 code (e.g. MM-02).",
          role="quasi_identifier", pattern=ISO3166_2, codelist="asean_regions",
          country_field="prs_MailingCountry",
          htcds="prs_MailingState"),
    field("prs_MailingCountry", "string", "Country of the home address, ISO 3166-1 alpha-2.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166", htcds="prs_MailingCountry"),
    # --- victim context ---------------------------------------------------------------------
    field("vic_TraffickingStatus", "string", "Status of the person's identification as a victim.",
          role="sensitive", categories=TRAFFICKING_STATUS, htcds="vic_TraffickingStatus"),
    field("vic_AgeWhenTrafficked", "integer", "Age in completed years when the trafficking began.",
          role="quasi_identifier", minimum=0, maximum=100, htcds="vic_AgeWhenTrafficked"),
    field("vic_TypeOfExploitation", "string", "Type(s) of exploitation.", role="sensitive",
          categories=EXPLOITATION, multiple=True, htcds="vic_TypeOfExploitation"),
    field("vic_MethodsOfControl", "string", "Methods of control used by the trafficker(s).",
          role="sensitive", categories=CONTROL, multiple=True, htcds="vic_MethodsOfControl"),
    field("vic_TypeOfLabourExploitation", "string", "Type(s) of forced labour.",
          role="sensitive", categories=LABOUR_TYPE, multiple=True,
          htcds="vic_TypeOfLabourExploitation"),
    field("vic_ForcedLabourIndustry", "string", "Industry of forced labour as ISIC Rev.4 sections.",
          role="sensitive", categories=ISIC, multiple=True, htcds="vic_LabourIndustry"),
    field("vic_TypeOfSexExploitation", "string", "Type(s) of sexual exploitation.",
          role="sensitive", categories=SEX_TYPE, multiple=True, htcds="vic_TypeOfSexExploitation"),
    field("vic_RelationshipToTrafficker", "string",
          "The person's relationship to the recruiter or trafficker.",
          role="sensitive", categories=RELATION, multiple=True,
          htcds="vic_RelationshipToTrafficker"),
    field("vic_MethodOfRecruitment", "string", "How the person was recruited.", role="sensitive",
          categories=RECRUITMENT, multiple=True, htcds="vic_MethodOfRecruitment"),
    field("vic_RecruitmentWebsitesAndApps", "string", "Platforms used to recruit the person.",
          role="sensitive", categories=APPS, multiple=True, htcds="vic_RecruitmentWebsitesAndApps"),
    field("vic_CountryOfRecruitment", "string", "Country of recruitment, ISO 3166-1 alpha-2.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166",
          htcds="vic_LocationOfRecruitment"),
    field("vic_LocationOfRecruitment", "string",
          "First-level region of recruitment as an ISO 3166-2 code.", role="quasi_identifier",
          pattern=ISO3166_2, codelist="asean_regions",
          country_field="vic_CountryOfRecruitment", htcds="vic_LocationOfRecruitment"),
    field("vic_CountryOfExploitation", "string", "Country of exploitation, ISO 3166-1 alpha-2.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166",
          htcds="vic_LocationOfExploitation"),
    field("vic_LocationOfExploitation", "string",
          "First-level region of exploitation as an ISO 3166-2 code.", role="quasi_identifier",
          pattern=ISO3166_2, codelist="asean_regions",
          country_field="vic_CountryOfExploitation", htcds="vic_LocationOfExploitation"),
    # --- free text ----------------------------------------------------------------------------
    field("cas_Notes", "string", "Caseworker's free-text notes. Contains identifying details.",
          role="free_text", htcds="cas_Description"),
]

SCHEMA = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "name": "htcds-input",
    "title": "htwork input standard (HTCDS v2.0 aligned case-person table)",
    "description": (
        "One row per person registered by one organisation. Field names and picklist values "
        "follow the Human Trafficking Case Data Standard (HTCDS v2.0, IOM / Tech Against "
        "Trafficking); multi-select picklists are ';'-separated PascalCase values; dates are "
        "ISO 8601 Gregorian; countries are ISO 3166-1 alpha-2 and first-level regions ISO 3166-2."
    ),
    "fields": FIELDS,
    "primaryKey": ["cas_CaseId"],
    "missingValues": [""],
}

# --- release standard (CTDC-shaped, one row per person) -----------------------------------------

AGE_BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]
MINOR_BANDS = ["0--8", "9--17"]
YES_NO = [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]


def _alpha3():
    with open(OUT / "iso3166.csv", encoding="utf-8", newline="") as fh:
        return [{"value": r["alpha3"], "label": r["name"]} for r in csv.DictReader(fh)]


def rfield(name, type_, desc, *, role, reason=None, categories=None, ordered=False,
           family=None, minimum=None, codelist=None, implies=None):
    f = {"name": name, "type": type_, "description": desc}
    cons = {}
    if minimum is not None:
        cons["minimum"] = minimum
    if categories is not None:
        f["categories"] = categories
        if ordered:
            f["categoriesOrdered"] = True
        cons["enum"] = [c["value"] for c in categories]
    if cons:
        f["constraints"] = cons
    _role(f, role, reason)
    if family:
        f["htwork:family"] = family
    if codelist:
        f["htwork:codelist"] = codelist
    if implies:
        # what a value of this field says about another field of the same row:
        # {"when": [values], "field": other, "value": its value, "or_missing": may it be empty,
        #  "description": the rule in words}
        f["htwork:implies"] = implies
    return f


#: A kind of labour (sexual) exploitation recorded as 1 means forced labour (sexual
#: exploitation) is 1 too, where the type of exploitation was recorded at all.
PARENT_FLAG = {"typeOfLabour": "isForcedLabour", "typeOfSex": "isSexualExploit"}


def flag(name, desc, family):
    parent = PARENT_FLAG.get(family)
    implies = [{"when": [1], "field": parent, "value": 1, "or_missing": True}] if parent else None
    return rfield(name, "integer", desc + " 1 = yes, 0 = recorded but not this, empty = not "
                  "recorded.", role="sensitive", categories=YES_NO, family=family,
                  implies=implies,
                  reason="Reveals what was done to the person (special-category data): "
                         "harmful if linked to them.")


EXPLOIT_FLAGS = [
    ("isForcedLabour", "Exploited in forced labour."),
    ("isSexualExploit", "Sexually exploited."),
    ("isOtherExploit", "Exploited in another way: forced marriage, forced criminality, slavery "
                       "and similar practices, organ removal or other."),
]
MEANS_FLAGS = [
    ("meansDebtBondageEarnings", "Controlled through debt bondage or by the trafficker taking "
                                 "the person's earnings."),
    ("meansThreats", "Controlled through threats: of violence, of the police or authorities, "
                     "or against the person's children or family."),
    ("meansAbusePsyPhySex", "Controlled through psychological, physical or sexual abuse."),
    ("meansFalsePromises", "Controlled through false promises."),
    ("meansDrugsAlcohol", "Controlled through drugs or alcohol."),
    ("meansDenyBasicNeeds", "Controlled by denying basic needs: food, sleep, medical care or "
                            "access to money."),
    ("meansExcessiveWorkHours", "Controlled through excessive working hours."),
    ("meansWithholdDocs", "Controlled by withholding identity or travel documents."),
]
LABOUR_FLAGS = [
    ("typeOfLabourAgriculture", "Forced labour in agriculture."),
    ("typeOfLabourAquafarming", "Forced labour in fishing or aquafarming."),
    ("typeOfLabourBegging", "Forced begging."),
    ("typeOfLabourConstruction", "Forced labour in construction."),
    ("typeOfLabourDomesticWork", "Forced domestic work."),
    ("typeOfLabourHospitality", "Forced labour in hospitality (hotels, restaurants, bars)."),
    ("typeOfLabourIllicitActivities", "Forced into illicit activities, including online scam "
                                      "operations."),
    ("typeOfLabourManufacturing", "Forced labour in manufacturing."),
    ("typeOfLabourMiningOrDrilling", "Forced labour in mining or drilling."),
    ("typeOfLabourPeddling", "Forced peddling or street selling."),
    ("typeOfLabourTransportation", "Forced labour in transportation."),
    ("typeOfLabourOther", "Forced labour of another type."),
]
SEX_FLAGS = [
    ("typeOfSexProstitution", "Sexually exploited in prostitution."),
    ("typeOfSexPornography", "Sexually exploited in pornography."),
    ("typeOfSexRemoteInteractiveServices", "Sexually exploited through remote interactive "
                                           "services (webcam, live streaming)."),
    ("typeOfSexPrivateSexualServices", "Sexually exploited in private sexual services."),
]
RELATION_FLAGS = [
    ("recruiterRelationIntimatePartner", "The recruiter was an intimate partner."),
    ("recruiterRelationFriend", "The recruiter was a friend or acquaintance."),
    ("recruiterRelationFamily", "The recruiter was a family member."),
    ("recruiterRelationOther", "The recruiter was someone else: an employer, a recruitment "
                               "agent, a stranger or other."),
]
FAMILIES = [
    ("exploitation", EXPLOIT_FLAGS), ("means", MEANS_FLAGS), ("typeOfLabour", LABOUR_FLAGS),
    ("typeOfSex", SEX_FLAGS), ("recruiterRelation", RELATION_FLAGS),
]


def release_fields():
    countries = _alpha3()
    out = [
        rfield("yearOfRegistration", "integer", "Year the case was registered.",
               role="quasi_identifier", minimum=1900),
        rfield("gender", "string", "Gender.", role="quasi_identifier",
               categories=cats("Female", "Male", "Transgender/NonConforming")),
        rfield("ageBroad", "string", "Age in completed years when the case was registered, in "
               "broad bands (age when trafficking began where the birth date is not recorded).",
               role="quasi_identifier", ordered=True,
               reason="An age others may know or guess; combined with other such fields it can "
                      "single a person out.",
               categories=[{"value": b, "label": b.replace("--", " to ").replace("+", " or older")}
                           for b in AGE_BANDS],
               implies=[{"when": MINOR_BANDS, "field": "majorityStatus", "value": "Minor",
                         "description": "minors (ageBroad 0--17) have majorityStatus Minor"},
                        {"when": [b for b in AGE_BANDS if b not in MINOR_BANDS],
                         "field": "majorityStatus", "value": "Adult",
                         "description": "adults (ageBroad 18+) have majorityStatus Adult"}]),
        rfield("majorityStatus", "string", "Adult (18 or older) or minor, at registration.",
               role="quasi_identifier", categories=cats("Adult", "Minor"),
               reason="Derived from the age and published beside it: it narrows people down "
                      "like the age band, and shows minor or adult where a band is suppressed."),
        rfield("citizenship", "string", "Citizenship, ISO 3166-1 alpha-3 country code.",
               role="quasi_identifier", categories=countries, codelist="iso3166"),
        rfield("CountryOfExploitation", "string",
               "Country where the person was exploited, ISO 3166-1 alpha-3 country code.",
               role="quasi_identifier", categories=countries, codelist="iso3166"),
    ]
    for family, flags in FAMILIES:
        out += [flag(n, d, family) for n, d in flags]
    return out


RELEASE = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "name": "ctdc-release",
    "title": "htwork release standard (Counter Trafficking Data Collaborative shaped)",
    "description": (
        "One row per person, shaped like the Counter Trafficking Data Collaborative (CTDC) "
        "global victim dataset so that released files sit beside existing analyses. Made from "
        "the input standard by htcds_to_ctdc.csv; several input codes merge into one flag and "
        "cannot be told apart again. Flags: 1 = yes, 0 = the question was answered but not "
        "with this, empty = not recorded."
    ),
    "fields": None,  # filled at run time (needs iso3166.csv)
    "missingValues": [""],
}



# --- the CTDC global dataset as CTDC publishes it (native columns and codes) -------------------

#: Its flags: (name, description, input field, input codes that set it). The input field and
#: codes say how ``htwork.standards.to_ctdc`` (and so ``htwork simulate --agency-format ctdc``)
#: makes the flag from the input standard; ``None``: the input standard cannot tell.
CTDC_MEANS = [
    ("meansOfControlDebtBondage", "Debt bondage.", ["DebtBondage"]),
    ("meansOfControlTakesEarnings", "The trafficker takes the person's earnings.",
     ["TakesEarnings"]),
    ("meansOfControlRestrictsFinancialAccess", "Restricted access to money or bank accounts.",
     ["RestrictsFinancialAccess"]),
    ("meansOfControlThreats", "Threats of violence, against the person or their family.",
     ["PhysicalThreats", "ThreatensChildrenFamily"]),
    ("meansOfControlPsychologicalAbuse", "Psychological abuse.", ["PsychologicalAbuse"]),
    ("meansOfControlPhysicalAbuse", "Physical abuse.", ["PhysicalAbuse"]),
    ("meansOfControlSexualAbuse", "Sexual abuse.", ["SexualAbuse"]),
    ("meansOfControlFalsePromises", "False promises.", ["FalsePromises"]),
    ("meansOfControlPsychoactiveSubstances", "Drugs or alcohol.", ["PsychoactiveSubstance"]),
    ("meansOfControlRestrictsMovement", "Restricted movement.", None),
    ("meansOfControlRestrictsMedicalCare", "Restricted medical care.", ["RestrictsMedicalCare"]),
    ("meansOfControlExcessiveWorkingHours", "Excessive working hours.", ["ExcessiveWorkingHours"]),
    ("meansOfControlUsesChildren", "Uses the person's children.", None),
    ("meansOfControlThreatOfLawEnforcement", "Threats of the police or immigration authorities.",
     ["ThreatsLawEnforcement"]),
    ("meansOfControlWithholdsNecessities", "Withholds food, sleep or other necessities.",
     ["WithholdsNecessities"]),
    ("meansOfControlWithholdsDocuments", "Withholds identity or travel documents.",
     ["WithholdsDocuments"]),
    ("meansOfControlOther", "Another means of control.", ["Other"]),
    ("meansOfControlNotSpecified", "A means of control not specified.", None),
]
CTDC_EXPLOIT = [
    ("isForcedLabour", "Exploited in forced labour.", ["ForcedLabour"]),
    ("isSexualExploit", "Sexually exploited.", ["SexualExploitation"]),
    ("isOtherExploit", "Exploited in another way.", ["ForcedCriminality", "Other"]),
    ("isSexAndLabour", "Both sexually exploited and in forced labour.", None),
    ("isForcedMarriage", "Forced marriage.", ["ForcedMarriage"]),
    ("isForcedMilitary", "Forced military service.", None),
    ("isOrganRemoval", "Organ removal.", ["OrganRemoval"]),
    ("isSlaveryAndPractices", "Slavery and similar practices.", ["SlaveryAndSimilarPractices"]),
]
CTDC_LABOUR = [
    ("typeOfLabourAgriculture", "Agriculture.", ["Agriculture"]),
    ("typeOfLabourAquafarming", "Fishing or aquafarming.", ["Aquafarming", "Fishing"]),
    ("typeOfLabourBegging", "Begging.", ["Begging"]),
    ("typeOfLabourConstruction", "Construction.", ["Construction"]),
    ("typeOfLabourDomesticWork", "Domestic work.", ["DomesticWork"]),
    ("typeOfLabourHospitality", "Hospitality.", ["Hospitality"]),
    ("typeOfLabourIllicitActivities", "Illicit activities (online scams included).",
     ["IllicitActivities", "OnlineScamOperations"]),
    ("typeOfLabourManufacturing", "Manufacturing.", ["Manufacturing"]),
    ("typeOfLabourMiningOrDrilling", "Mining or drilling.", ["MiningOrDrilling"]),
    ("typeOfLabourPeddling", "Peddling.", ["Peddling"]),
    ("typeOfLabourTransportation", "Transportation.", ["Transportation"]),
    ("typeOfLabourOther", "Another type of labour.", ["Other"]),
    ("typeOfLabourNotSpecified", "Type of labour not specified.", None),
]
CTDC_SEX = [
    ("typeOfSexProstitution", "Prostitution.", ["Prostitution"]),
    ("typeOfSexPornography", "Pornography.", ["Pornography"]),
    ("typeOfSexRemoteInteractiveServices", "Remote interactive services (webcam, streaming).",
     ["RemoteInteractiveServices"]),
    ("typeOfSexPrivateSexualServices", "Private sexual services.", ["PrivateSexualServices"]),
]
CTDC_RELATION = [
    ("recruiterRelationIntimatePartner", "The recruiter was an intimate partner.",
     ["IntimatePartner"]),
    ("recruiterRelationFriend", "The recruiter was a friend or acquaintance.",
     ["FriendOrAcquaintance"]),
    ("recruiterRelationFamily", "The recruiter was a family member.", ["FamilyMember"]),
    ("recruiterRelationOther", "The recruiter was someone else (employer, agent, stranger...).",
     ["Employer", "RecruitmentAgent", "Stranger", "Other"]),
    ("recruiterRelationUnknown", "The relation to the recruiter is not known.", ["Unknown"]),
]
#: family -> (flags, input field, the concatenated column CTDC publishes beside them)
CTDC_FAMILIES = [
    ("meansOfControl", CTDC_MEANS, "vic_MethodsOfControl", "meansOfControlConcatenated"),
    ("typeOfExploit", CTDC_EXPLOIT, "vic_TypeOfExploitation", "typeOfExploitConcatenated"),
    ("typeOfLabour", CTDC_LABOUR, "vic_TypeOfLabourExploitation", "typeOfLabourConcatenated"),
    ("typeOfSex", CTDC_SEX, "vic_TypeOfSexExploitation", "typeOfSexConcatenated"),
]
CTDC_MISSING = "-99"
CTDC_GENDER = cats("Female", "Male", "Transgender/NonConforming", "Woman", "Man",
                   "Trans/Transgender/NonConforming")
ADULT_MINOR = cats("Adult", "Minor")
FLAG_REASON = ("Reveals what was done to the person (special-category data): harmful if linked "
               "to them.")


def ctdc_country(name, desc, input_field):
    f = rfield(name, "string", desc + " ISO 3166-1 alpha-2 (as CTDC publishes it) or alpha-3.",
               role="quasi_identifier", codelist="iso3166")
    f["constraints"] = {"pattern": "[A-Z]{2}|[A-Z]{3}"}  # for frictionless; htwork checks ISO
    f["htwork:countryForms"] = ["alpha2", "alpha3"]
    f["htwork:fromInput"] = {"field": input_field}
    return f


def ctdc_flag(name, desc, family, input_field, codes):
    f = rfield(name, "integer", desc + " 1 = yes, 0 = no, -99 = not recorded.",
               role="sensitive", categories=YES_NO, family=family, reason=FLAG_REASON)
    if codes is not None:
        f["htwork:fromInput"] = {"field": input_field, "codes": codes}
    return f


def ctdc_text(name, desc):
    return rfield(name, "string", desc + " Labels joined by ';', -99 = not recorded.",
                  role="sensitive", reason=FLAG_REASON)


def ctdc_fields():
    out = [
        rfield("yearOfRegistration", "integer", "Year the person was registered.",
               role="quasi_identifier", minimum=1900),
        rfield("Datasource", "string", "Which kind of source recorded the person: case "
               "management by an assisting organisation, or a hotline.", role="other",
               categories=cats("Case Management", "Hotline"),
               reason="Says how the record was made, not who the person is."),
        rfield("gender", "string", "Gender (codebook v6 spellings, and Woman/Man/Trans of later "
               "releases).", role="quasi_identifier", categories=CTDC_GENDER),
        rfield("ageBroad", "string", "Age at registration in broad bands.",
               role="quasi_identifier", ordered=True,
               reason="An age others may know or guess; combined with other such fields it can "
                      "single a person out.",
               categories=[{"value": b, "label": b.replace("--", " to ").replace("+", " or older")}
                           for b in AGE_BANDS]),
        rfield("majorityStatus", "string", "Adult or minor at registration.",
               role="quasi_identifier", categories=ADULT_MINOR,
               reason="Derived from the age: it narrows people down like the age band."),
        rfield("majorityStatusAtExploit", "string", "Adult or minor when the exploitation began.",
               role="quasi_identifier", categories=ADULT_MINOR,
               reason="Derived from the age: it narrows people down like the age band."),
        rfield("majorityEntry", "string", "Adult or minor when the person entered the "
               "trafficking situation.", role="quasi_identifier", categories=ADULT_MINOR,
               reason="Derived from the age: it narrows people down like the age band."),
        ctdc_country("citizenship", "Citizenship.", "prs_Citizenship"),
    ]
    for family, flags, input_field, concatenated in CTDC_FAMILIES:
        out += [ctdc_flag(n, d, family, input_field, c) for n, d, c in flags]
        out.append(ctdc_text(concatenated, f"The {family} flags set to 1, in words."))
    out.append(ctdc_flag("isAbduction", "Recruited by abduction.", None,
                         "vic_MethodOfRecruitment", ["Abduction"]))
    out.append(ctdc_text("RecruiterRelationship", "The recruiter's relation to the person."))
    out.append(ctdc_country("CountryOfExploitation", "Country where the person was exploited.",
                            "vic_CountryOfExploitation"))
    out += [ctdc_flag(n, d, "recruiterRelation", "vic_RelationshipToTrafficker", c)
            for n, d, c in CTDC_RELATION]
    # dates and ages come from the input's dates and ages (htwork.standards.ctdc says how)
    for f in out:
        if f["name"] in ("yearOfRegistration", "ageBroad", "majorityStatus"):
            f["htwork:fromInput"] = {"field": "cas_RegistrationDate"}
        elif f["name"] in ("majorityStatusAtExploit", "majorityEntry"):
            f["htwork:fromInput"] = {"field": "vic_AgeWhenTrafficked"}
        elif f["name"] == "gender":
            f["htwork:fromInput"] = {"field": "prs_Gender"}
        elif f["name"] == "Datasource":
            f["htwork:fromInput"] = {"field": "org_Type"}
    return out


CTDC = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "name": "ctdc-global",
    "title": "CTDC global dataset (its own columns and codes)",
    "description": (
        "The Counter Trafficking Data Collaborative's global victim-of-trafficking dataset as "
        "CTDC publishes it (codebook v6 columns): one row per person, countries as ISO 3166-1 "
        "alpha-2 (alpha-3 accepted), flags 1/0, -99 where not recorded, and the "
        "'...Concatenated' columns naming the flags set. A table in this shape validates and "
        "releases as it is, without a crosswalk."
    ),
    "fields": None,  # filled at run time, like the release standard
    "missingValues": ["", CTDC_MISSING],
}

# --- crosswalk input -> release ----------------------------------------------------------------

def _values(field_name):
    f = next(f for f in FIELDS if f["name"] == field_name)
    return [c["value"] for c in f["categories"]]


def crosswalk_rows():
    rows = []

    def add(sf, sv, tf="", tv="", kind="none", note=""):
        rows.append({"source_field": sf, "source_value": sv, "target_field": tf,
                     "target_value": tv, "kind": kind, "note": note})

    def none(sf, note):
        add(sf, "*", note=note)

    # case
    none("cas_CaseId", "Direct identifier (the agency's record number); never released.")
    none("cas_IdentifyingOrganisation", "Names the registering agency, which with year and "
         "place narrows people down; the release is pooled across agencies.")
    none("org_Type", "Not part of the CTDC shape; agency type can be released as dataset "
         "metadata instead.")
    none("cas_GroupId", "Links people identified together; would let a reader re-assemble "
         "groups.")
    add("cas_RegistrationDate", "*", "yearOfRegistration", "", "merge",
        "Date -> year; the day and month are dropped.")
    add("cas_RegistrationDate", "*", "ageBroad", "", "merge",
        "Reference date for the age at registration.")
    add("cas_RegistrationDate", "*", "majorityStatus", "", "merge",
        "Reference date for the age at registration.")
    none("cas_Status", "Case-management state; not a fact about the person.")
    for f in ("cas_IncomingReferralDate", "cas_OutgoingReferralDate"):
        none(f, "Exact dates sharpen re-identification; not in the CTDC shape.")
    for f in ("cas_ReferringOrganisation", "cas_ReferredOrganisation"):
        none(f, "Names agencies; not in the CTDC shape.")
    # person
    for f in ("prs_FirstName", "prs_SecondName", "prs_Aliases", "prs_IdentityDocumentNumber",
              "prs_MobilePhone", "prs_Email", "prs_MailingStreet"):
        none(f, "Direct identifier; never released.")
    gender = {"Male": "Male", "Female": "Female",
              "Transgender/NonConforming": "Transgender/NonConforming"}
    for v in _values("prs_Gender"):
        if v in gender:
            add("prs_Gender", v, "gender", gender[v], "exact")
        else:
            add("prs_Gender", v, "gender", "", "none", "Unknown is released as an empty cell.")
    add("prs_Birthdate", "*", "ageBroad", "", "merge",
        "Age in completed years on cas_RegistrationDate, then banded 0--8 ... 48+.")
    add("prs_Birthdate", "*", "majorityStatus", "", "merge",
        "Age on cas_RegistrationDate below 18 -> Minor, else Adult.")
    add("prs_Citizenship", "*", "citizenship", "*", "exact", "ISO alpha-2 → alpha-3")
    none("prs_IdentityDocumentType", "Not in the CTDC shape.")
    none("prs_MailingCity", "Home town or village: too fine a place to release.")
    none("prs_MailingState", "Home region: too fine a place for the CTDC shape.")
    none("prs_MailingCountry", "Country of residence is not in the CTDC shape; citizenship is.")
    # victim context
    none("vic_TraffickingStatus", "Not in the CTDC shape; choose which statuses to release "
         "by filtering rows before making the release.")
    add("vic_AgeWhenTrafficked", "*", "ageBroad", "", "merge",
        "Fallback only when prs_Birthdate is empty: the age when trafficking began, banded "
        "(it can be younger than the age at registration).")
    add("vic_AgeWhenTrafficked", "*", "majorityStatus", "", "merge",
        "Fallback only when prs_Birthdate is empty: below 18 -> Minor, else Adult.")

    exploit = {"ForcedLabour": ("isForcedLabour", "exact"),
               "SexualExploitation": ("isSexualExploit", "exact")}
    for v in _values("vic_TypeOfExploitation"):
        tf, kind = exploit.get(v, ("isOtherExploit", "merge"))
        add("vic_TypeOfExploitation", v, tf, "1", kind)

    control = {
        "DebtBondage": "meansDebtBondageEarnings", "TakesEarnings": "meansDebtBondageEarnings",
        "PhysicalThreats": "meansThreats", "ThreatsLawEnforcement": "meansThreats",
        "ThreatensChildrenFamily": "meansThreats",
        "PsychologicalAbuse": "meansAbusePsyPhySex", "PhysicalAbuse": "meansAbusePsyPhySex",
        "SexualAbuse": "meansAbusePsyPhySex",
        "FalsePromises": "meansFalsePromises", "PsychoactiveSubstance": "meansDrugsAlcohol",
        "WithholdsNecessities": "meansDenyBasicNeeds",
        "RestrictsMedicalCare": "meansDenyBasicNeeds",
        "RestrictsFinancialAccess": "meansDenyBasicNeeds",
        "ExcessiveWorkingHours": "meansExcessiveWorkHours",
        "WithholdsDocuments": "meansWithholdDocs",
    }
    _flags_from("vic_MethodsOfControl", control, add, other_note=(
        "No CTDC flag for other means: the means flags are 0 when only Other is recorded."))

    labour = {v: f"typeOfLabour{v}" for v in (
        "Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork", "Hospitality",
        "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation",
        "Other")}
    labour["Fishing"] = "typeOfLabourAquafarming"
    labour["OnlineScamOperations"] = "typeOfLabourIllicitActivities"
    _flags_from("vic_TypeOfLabourExploitation", labour, add)

    none("vic_ForcedLabourIndustry", "ISIC industry sections are not in the CTDC shape; the "
         "type of labour is released instead.")
    _flags_from("vic_TypeOfSexExploitation", {v: f"typeOfSex{v}" for v in _values(
        "vic_TypeOfSexExploitation")}, add)

    relation = {"IntimatePartner": "recruiterRelationIntimatePartner",
                "FamilyMember": "recruiterRelationFamily",
                "FriendOrAcquaintance": "recruiterRelationFriend",
                "Employer": "recruiterRelationOther", "RecruitmentAgent": "recruiterRelationOther",
                "Stranger": "recruiterRelationOther", "Other": "recruiterRelationOther"}
    _flags_from("vic_RelationshipToTrafficker", relation, add, unknown_note=(
        "Unknown is not an answer: the relation flags stay empty unless another relation "
        "is recorded."))

    none("vic_MethodOfRecruitment", "Not in the CTDC shape.")
    none("vic_RecruitmentWebsitesAndApps", "Not in the CTDC shape.")
    none("vic_CountryOfRecruitment", "Not in the CTDC shape (CTDC releases citizenship and "
         "country of exploitation).")
    none("vic_LocationOfRecruitment", "Region of recruitment: too fine a place for the CTDC "
         "shape.")
    add("vic_CountryOfExploitation", "*", "CountryOfExploitation", "*", "exact",
        "ISO alpha-2 → alpha-3")
    none("vic_LocationOfExploitation", "Region of exploitation: too fine a place for the CTDC "
         "shape.")
    none("cas_Notes", "Free text full of identifying details; never released.")
    return rows


def _flags_from(field_name, mapping, add, *, other_note=None, unknown_note=None):
    """Rows for a multi-select field mapped onto a flag family (1 where a code is present)."""
    counts = {}
    for tf in mapping.values():
        counts[tf] = counts.get(tf, 0) + 1
    for v in _values(field_name):
        if v in mapping:
            tf = mapping[v]
            add(field_name, v, tf, "1", "merge" if counts[tf] > 1 else "exact")
        elif v == "Unknown":
            add(field_name, v, note=unknown_note or "Unknown is not an answer.")
        else:
            add(field_name, v, note=other_note or "No matching release flag.")


def write_json(path, obj):
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(path, len(obj["fields"]), "fields")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write_json(OUT / "htcds_input.schema.json", SCHEMA)
    RELEASE["fields"] = release_fields()
    write_json(OUT / "ctdc_release.schema.json", RELEASE)
    CTDC["fields"] = ctdc_fields()
    write_json(OUT / "ctdc_global.schema.json", CTDC)
    rows = crosswalk_rows()
    with open(OUT / "htcds_to_ctdc.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(OUT / "htcds_to_ctdc.csv", len(rows), "rows")
