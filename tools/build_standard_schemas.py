"""Write the input standard's Frictionless table schema (a developer tool, run once by hand).

The JSON it writes under ``htwork/standards/data/`` is the source of truth that ships with the
package; this script only exists so that the picklists are typed once.
"""

import json
import re
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


def field(name, type_, desc, *, role, required=False, categories=None, multiple=False,
          fmt=None, htcds=None, minimum=None, maximum=None, pattern=None, codelist=None,
          unique=False):
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
            alt = "|".join(re.escape(v) for v in values)
            cons["pattern"] = f"(?:{alt})(?:;(?:{alt}))*"
        else:
            cons["enum"] = values
    if cons:
        f["constraints"] = cons
    f["htwork:role"] = role
    if multiple:
        f["htwork:multiple"] = True
        f["htwork:separator"] = ";"
    if codelist:
        f["htwork:codelist"] = codelist
    if htcds:
        f["htwork:htcds"] = htcds
    return f


ISO2 = "^[A-Z]{2}$"
FIELDS = [
    # --- case -------------------------------------------------------------------------
    field("cas_CaseId", "string", "The identifying organisation's own case or record number.",
          role="direct_identifier", required=True, unique=True, htcds="cas_Name"),
    field("cas_IdentifyingOrganisation", "string",
          "Name of the organisation that identified and registered the person.",
          role="case", required=True, htcds="cas_IdentifyingOrganisation"),
    field("org_Type", "string", "Category of the identifying organisation.",
          role="case", categories=ORG_TYPE, htcds="org_Type"),
    field("cas_GroupId", "string",
          "Identifier shared by people identified together (same operation, family or group).",
          role="case", htcds="cas_GroupId"),
    field("cas_RegistrationDate", "date", "Date the case was registered (ISO 8601, Gregorian).",
          role="quasi_identifier", required=True, htcds="cas_RegistrationDate"),
    field("cas_Status", "string", "Case status.", role="case", categories=CASE_STATUS,
          htcds="cas_Status"),
    field("cas_IncomingReferralDate", "date",
          "Date the organisation accepted an incoming referral of this case.",
          role="case", htcds="cas_IncomingReferralDate"),
    field("cas_ReferringOrganisation", "string", "Organisation that referred the case in.",
          role="case", htcds="cas_ReferringOrganisation"),
    field("cas_OutgoingReferralDate", "date", "Date the case was referred to another organisation.",
          role="case", htcds="cas_OutgoingReferralDate"),
    field("cas_ReferredOrganisation", "string", "Organisation the case was referred to.",
          role="case", htcds="cas_ReferredOrganisation"),
    # --- person -------------------------------------------------------------------------
    field("prs_FirstName", "string", "Given name(s) as recorded.", role="direct_identifier",
          htcds="prs_FirstName"),
    field("prs_SecondName", "string", "Family name as recorded (may be empty where people have one name).",
          role="direct_identifier", htcds="prs_SecondName"),
    field("prs_Aliases", "string", "Other names or nicknames the person is known by, ';'-separated.",
          role="direct_identifier", htcds="prs_Aliases"),
    field("prs_Gender", "string", "Gender.", role="quasi_identifier", categories=GENDER,
          required=True, htcds="prs_Gender"),
    field("prs_Birthdate", "date", "Date of birth (ISO 8601, Gregorian).",
          role="quasi_identifier", htcds="prs_Birthdate"),
    field("prs_Citizenship", "string", "Citizenship as an ISO 3166-1 alpha-2 code.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166", htcds="prs_Nationality"),
    field("prs_IdentityDocumentType", "string", "Type of identity document recorded.",
          role="case", categories=ID_TYPE, htcds="prs_IdentityDocumentType"),
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
          role="quasi_identifier", codelist="asean_regions", htcds="prs_MailingState"),
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
    field("vic_RelationshipToTrafficker", "string", "The person's relationship to the recruiter or trafficker.",
          role="sensitive", categories=RELATION, multiple=True,
          htcds="vic_RelationshipToTrafficker"),
    field("vic_MethodOfRecruitment", "string", "How the person was recruited.", role="sensitive",
          categories=RECRUITMENT, multiple=True, htcds="vic_MethodOfRecruitment"),
    field("vic_RecruitmentWebsitesAndApps", "string", "Platforms used to recruit the person.",
          role="sensitive", categories=APPS, multiple=True, htcds="vic_RecruitmentWebsitesAndApps"),
    field("vic_CountryOfRecruitment", "string", "Country of recruitment, ISO 3166-1 alpha-2.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166", htcds="vic_LocationOfRecruitment"),
    field("vic_LocationOfRecruitment", "string",
          "First-level region of recruitment as an ISO 3166-2 code.", role="quasi_identifier",
          codelist="asean_regions", htcds="vic_LocationOfRecruitment"),
    field("vic_CountryOfExploitation", "string", "Country of exploitation, ISO 3166-1 alpha-2.",
          role="quasi_identifier", pattern=ISO2, codelist="iso3166",
          htcds="vic_LocationOfExploitation"),
    field("vic_LocationOfExploitation", "string",
          "First-level region of exploitation as an ISO 3166-2 code.", role="quasi_identifier",
          codelist="asean_regions", htcds="vic_LocationOfExploitation"),
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

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "htcds_input.schema.json"
    path.write_text(json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(path, len(FIELDS), "fields")
