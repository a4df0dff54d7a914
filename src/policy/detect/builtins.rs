//! The built-in detectors: one entry each, in id order — the one place that says what a
//! built-in is called, under which keys it fires, how its candidates become findings and with
//! which evidence. The id constants below are indices into [`BUILTINS`]; a unit test checks
//! that they agree.

use super::Evidence;

// Built-in detector ids: the index in [`BUILTINS`] (and in `Detectors::BUILTIN`).
pub(super) const EMAIL: u16 = 0;
pub(super) const PHONE: u16 = 1;
pub(super) const CREDIT_CARD: u16 = 2;
pub(super) const IBAN: u16 = 3;
pub(super) const US_SSN: u16 = 4;
pub(super) const IPV4: u16 = 5;
pub(super) const IPV6: u16 = 6;
pub(super) const MAC: u16 = 7;
pub(super) const UUID: u16 = 8;
pub(super) const URL_CREDENTIALS: u16 = 9;
pub(super) const US_ZIP: u16 = 10;
pub(super) const DATE_OF_BIRTH: u16 = 11;
/// The first national-identifier detector; `NationalId::ALL[i]` is `NATIONAL_FIRST + i`.
pub(super) const NATIONAL_FIRST: u16 = 12;
/// How many national identifiers there are (`NationalId::ALL`).
pub(super) const NATIONAL_COUNT: usize = 33;
pub(super) const PERSON_NAME: u16 = 45;
pub(super) const POSTAL_ADDRESS: u16 = 46;
pub(super) const PERSONAL_DATE: u16 = 47;
pub(super) const GEO_COORDINATES: u16 = 48;
pub(super) const PASSPORT_NUMBER: u16 = 49;
pub(super) const DRIVING_LICENCE: u16 = 50;
pub(super) const VEHICLE_ID: u16 = 51;
pub(super) const ONLINE_HANDLE: u16 = 52;
pub(super) const CREDENTIAL: u16 = 53;
pub(super) const BANK_ACCOUNT: u16 = 54;
pub(super) const HEALTH_ID: u16 = 55;
pub(super) const OTHER_NATIONAL_ID: u16 = 56;
pub(super) const BUILTIN_COUNT: usize = 57;

/// What one built-in detector is.
pub(super) struct Builtin {
    /// Its name in policies, explain output and audit records.
    pub(super) name: &'static str,
    /// Key globs: under a matching key the detector also accepts bare forms (`phone`,
    /// `us_ssn`), or fires only there (`uuid`, `us_zip`, `date_of_birth` as a whole value).
    pub(super) keys: &'static [&'static str],
    /// Weak candidates in free text (bare digit runs, unknown card issuers, dates) become
    /// findings only with a context word or key (the context pass, `scan_context_confirmed`).
    pub(super) context: bool,
    /// Found by its own scanner (`scan_evidence`: national identifiers, names, addresses), not
    /// by the combined candidate regex.
    pub(super) own_scanner: bool,
    /// The evidence of its findings unless the scan names another (context, key).
    pub(super) evidence: Evidence,
    /// Scanned when privgate redacts text that is not a value (a field path in the audit log):
    /// not for the detectors that fire only under a key or with a key-like context.
    pub(super) in_redaction: bool,
}

/// Every built-in, in id order.
pub(super) const BUILTINS: [Builtin; BUILTIN_COUNT] = [
    // EMAIL
    Builtin {
        name: "email",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // PHONE
    Builtin {
        name: "phone",
        keys: &[
            "*phone*",
            "*mobile*",
            "tel",
            "tel_*",
            "*_tel",
            "*_tel_*",
            "telno",
            "tel_no",
            "telnumber",
            "*telefon*",
            "*fax*",
            "*msisdn*",
            "*whatsapp*",
            "cell",
            "cell_number",
        ],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // CREDIT_CARD
    Builtin {
        name: "credit_card",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // IBAN
    Builtin {
        name: "iban",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // US_SSN
    Builtin {
        name: "us_ssn",
        keys: &[
            "*ssn*",
            "*social_security*",
            "*socialsecurity*",
            "*tax_id*",
            "*taxid*",
            "tin",
            "*_tin",
            "itin",
        ],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // IPV4
    Builtin {
        name: "ipv4",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // IPV6
    Builtin {
        name: "ipv6",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // MAC
    Builtin {
        name: "mac",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // UUID
    Builtin {
        name: "uuid",
        keys: &[
            "*device_id*",
            "*deviceid*",
            "*device_uuid*",
            "idfa",
            "*_idfa",
            "idfv",
            "*_idfv",
            "*advertising_id*",
            "*advertisingid*",
            "*advertis*",
            "gaid",
            "aaid",
            "adid",
            "ad_id",
            "*_ad_id",
            "*android_id*",
            "vendor_id",
            "*vendor_id*",
            "*vendorid*",
            "*install_id*",
            "*installation_id*",
            "*instance_id*",
            "*hardware_id*",
            "udid",
            "*_udid",
        ],
        context: false,
        own_scanner: false,
        in_redaction: false,
        evidence: Evidence::Format,
    },
    // URL_CREDENTIALS
    Builtin {
        name: "url_credentials",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // US_ZIP
    Builtin {
        name: "us_zip",
        keys: &[
            "zip*",
            "*_zip",
            "*zip_code*",
            "*zipcode*",
            "postal*",
            "*_postal*",
            "*postcode*",
            "*post_code*",
        ],
        context: false,
        own_scanner: false,
        in_redaction: false,
        evidence: Evidence::Format,
    },
    // DATE_OF_BIRTH
    Builtin {
        name: "date_of_birth",
        keys: &[
            "dob",
            "*_dob",
            "dob_*",
            "birth*",
            "*_birth*",
            "*birthday*",
            "*birthdate*",
            "*date_of_birth*",
            "*dateofbirth*",
            "*geburt*",
            "*nacimiento*",
            "*naissance*",
            "*nascita*",
        ],
        context: true,
        own_scanner: false,
        in_redaction: false,
        evidence: Evidence::Format,
    },
    // NATIONAL_FIRST + 0 (`NationalId::ALL[0]`)
    Builtin {
        name: "uk_nino",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 1 (`NationalId::ALL[1]`)
    Builtin {
        name: "nl_bsn",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 2 (`NationalId::ALL[2]`)
    Builtin {
        name: "fr_nir",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 3 (`NationalId::ALL[3]`)
    Builtin {
        name: "de_tax_id",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 4 (`NationalId::ALL[4]`)
    Builtin {
        name: "es_dni",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 5 (`NationalId::ALL[5]`)
    Builtin {
        name: "es_nie",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 6 (`NationalId::ALL[6]`)
    Builtin {
        name: "it_codice_fiscale",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 7 (`NationalId::ALL[7]`)
    Builtin {
        name: "be_nrn",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 8 (`NationalId::ALL[8]`)
    Builtin {
        name: "pl_pesel",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 9 (`NationalId::ALL[9]`)
    Builtin {
        name: "se_personnummer",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 10 (`NationalId::ALL[10]`)
    Builtin {
        name: "dk_cpr",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 11 (`NationalId::ALL[11]`)
    Builtin {
        name: "fi_hetu",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 12 (`NationalId::ALL[12]`)
    Builtin {
        name: "no_fnr",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 13 (`NationalId::ALL[13]`)
    Builtin {
        name: "at_svnr",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 14 (`NationalId::ALL[14]`)
    Builtin {
        name: "pt_nif",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 15 (`NationalId::ALL[15]`)
    Builtin {
        name: "ie_ppsn",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 16 (`NationalId::ALL[16]`)
    Builtin {
        name: "ch_ahv",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 17 (`NationalId::ALL[17]`)
    Builtin {
        name: "us_itin",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 18 (`NationalId::ALL[18]`)
    Builtin {
        name: "ca_sin",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 19 (`NationalId::ALL[19]`)
    Builtin {
        name: "br_cpf",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 20 (`NationalId::ALL[20]`)
    Builtin {
        name: "in_aadhaar",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 21 (`NationalId::ALL[21]`)
    Builtin {
        name: "au_tfn",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 22 (`NationalId::ALL[22]`)
    Builtin {
        name: "de_rvnr",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 23 (`NationalId::ALL[23]`)
    Builtin {
        name: "uk_nhs",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 24 (`NationalId::ALL[24]`)
    Builtin {
        name: "ro_cnp",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 25 (`NationalId::ALL[25]`)
    Builtin {
        name: "tr_tckn",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 26 (`NationalId::ALL[26]`)
    Builtin {
        name: "cz_rodne_cislo",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 27 (`NationalId::ALL[27]`)
    Builtin {
        name: "cn_ric",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 28 (`NationalId::ALL[28]`)
    Builtin {
        name: "kr_rrn",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 29 (`NationalId::ALL[29]`)
    Builtin {
        name: "jp_my_number",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 30 (`NationalId::ALL[30]`)
    Builtin {
        name: "sg_nric",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 31 (`NationalId::ALL[31]`)
    Builtin {
        name: "hk_hkid",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // NATIONAL_FIRST + 32 (`NationalId::ALL[32]`)
    Builtin {
        name: "za_id",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Checksum,
    },
    // PERSON_NAME
    Builtin {
        name: "person_name",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Lexicon,
    },
    // POSTAL_ADDRESS
    Builtin {
        name: "postal_address",
        keys: &[],
        context: false,
        own_scanner: true,
        in_redaction: true,
        evidence: Evidence::Lexicon,
    },
    // PERSONAL_DATE
    Builtin {
        name: "personal_date",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // GEO_COORDINATES
    Builtin {
        name: "geo_coordinates",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // PASSPORT_NUMBER
    Builtin {
        name: "passport_number",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Context,
    },
    // DRIVING_LICENCE
    Builtin {
        name: "driving_licence",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Context,
    },
    // VEHICLE_ID
    Builtin {
        name: "vehicle_id",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Context,
    },
    // ONLINE_HANDLE
    Builtin {
        name: "online_handle",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // CREDENTIAL: its own pass (`credential::scan`), like the obfuscated e-mail forms.
    Builtin {
        name: "credential",
        keys: &[],
        context: false,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Format,
    },
    // BANK_ACCOUNT: domestic account numbers, sort and routing codes next to their words.
    Builtin {
        name: "bank_account",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Context,
    },
    // HEALTH_ID: medical record, patient, insured-member and health card numbers.
    Builtin {
        name: "health_id",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Context,
    },
    // OTHER_NATIONAL_ID: identity, tax and social security numbers of countries without a
    // detector of their own, next to the word that names them; in the `national_id` group.
    Builtin {
        name: "other_national_id",
        keys: &[],
        context: true,
        own_scanner: false,
        in_redaction: true,
        evidence: Evidence::Context,
    },
];

/// The names, in id order.
pub(super) const NAMES: [&str; BUILTIN_COUNT] = {
    let mut names = [""; BUILTIN_COUNT];
    let mut i = 0;
    while i < BUILTIN_COUNT {
        names[i] = BUILTINS[i].name;
        i += 1;
    }
    names
};

/// The members of the `national_id` group (`detect: [national_id]`): the national identifiers,
/// `NATIONAL_FIRST` and the `NATIONAL_COUNT` ids after it.
pub(super) const NATIONAL_NAMES: [&str; NATIONAL_COUNT] = {
    let mut names = [""; NATIONAL_COUNT];
    let mut i = 0;
    while i < NATIONAL_COUNT {
        names[i] = BUILTINS[NATIONAL_FIRST as usize + i].name;
        i += 1;
    }
    names
};

/// The `national_id` group: the national identifiers and `other_national_id`.
pub(super) const NATIONAL_GROUP: [&str; NATIONAL_COUNT + 1] = {
    let mut names = [""; NATIONAL_COUNT + 1];
    let mut i = 0;
    while i < NATIONAL_COUNT {
        names[i] = NATIONAL_NAMES[i];
        i += 1;
    }
    names[NATIONAL_COUNT] = BUILTINS[OTHER_NATIONAL_ID as usize].name;
    names
};

/// Detectors with weak candidates that a context word or the key confirms in free text.
pub(super) const CONTEXT_MASK: u128 = mask(true);
/// The built-ins found by their own scanners (`scan_evidence`), not by the combined regex.
pub(super) const EVIDENCE_MASK: u128 = mask(false);

/// The set of built-ins with `context` (`true`) or `own_scanner` (`false`).
const fn mask(context: bool) -> u128 {
    let mut m = 0u128;
    let mut i = 0;
    while i < BUILTIN_COUNT {
        let b = &BUILTINS[i];
        if (context && b.context) || (!context && b.own_scanner) {
            m |= 1u128 << i;
        }
        i += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::national_id::NationalId;

    #[test]
    fn ids_names_groups_and_masks_agree_with_the_table() {
        let name = |id: u16| BUILTINS[usize::from(id)].name;
        assert_eq!(name(EMAIL), "email");
        assert_eq!(name(PHONE), "phone");
        assert_eq!(name(CREDIT_CARD), "credit_card");
        assert_eq!(name(IBAN), "iban");
        assert_eq!(name(US_SSN), "us_ssn");
        assert_eq!(name(IPV4), "ipv4");
        assert_eq!(name(IPV6), "ipv6");
        assert_eq!(name(MAC), "mac");
        assert_eq!(name(UUID), "uuid");
        assert_eq!(name(URL_CREDENTIALS), "url_credentials");
        assert_eq!(name(US_ZIP), "us_zip");
        assert_eq!(name(DATE_OF_BIRTH), "date_of_birth");
        assert_eq!(name(PERSON_NAME), "person_name");
        assert_eq!(name(POSTAL_ADDRESS), "postal_address");
        assert_eq!(name(PERSONAL_DATE), "personal_date");
        assert_eq!(name(GEO_COORDINATES), "geo_coordinates");
        assert_eq!(name(PASSPORT_NUMBER), "passport_number");
        assert_eq!(name(DRIVING_LICENCE), "driving_licence");
        assert_eq!(name(VEHICLE_ID), "vehicle_id");
        assert_eq!(name(ONLINE_HANDLE), "online_handle");
        assert_eq!(name(CREDENTIAL), "credential");
        assert_eq!(name(BANK_ACCOUNT), "bank_account");
        assert_eq!(name(HEALTH_ID), "health_id");
        assert_eq!(name(OTHER_NATIONAL_ID), "other_national_id");
        assert_eq!(NATIONAL_GROUP[NATIONAL_COUNT], "other_national_id");
        assert_eq!(NationalId::ALL.len(), NATIONAL_COUNT);
        for (i, id) in NationalId::ALL.into_iter().enumerate() {
            assert_eq!(name(NATIONAL_FIRST + i as u16), id.name());
            assert_eq!(NATIONAL_NAMES[i], id.name());
        }
        assert_eq!(
            usize::from(PERSON_NAME),
            usize::from(NATIONAL_FIRST) + NATIONAL_COUNT
        );
        let mut seen = std::collections::HashSet::new();
        assert!(NAMES.iter().all(|n| seen.insert(*n)), "names are unique");
        // The masks as they were written before the table existed.
        assert_eq!(
            CONTEXT_MASK,
            (1u128 << PHONE)
                | (1u128 << US_SSN)
                | (1u128 << CREDIT_CARD)
                | (1u128 << DATE_OF_BIRTH)
                | (1u128 << PERSONAL_DATE)
                | (1u128 << GEO_COORDINATES)
                | (1u128 << PASSPORT_NUMBER)
                | (1u128 << DRIVING_LICENCE)
                | (1u128 << VEHICLE_ID)
                | (1u128 << ONLINE_HANDLE)
                | (1u128 << BANK_ACCOUNT)
                | (1u128 << HEALTH_ID)
                | (1u128 << OTHER_NATIONAL_ID)
        );
        // The national identifiers, then person_name and postal_address.
        assert_eq!(
            EVIDENCE_MASK,
            ((1u128 << (NATIONAL_COUNT + 2)) - 1) << NATIONAL_FIRST
        );
        let keyed: Vec<&str> = BUILTINS
            .iter()
            .filter(|b| !b.keys.is_empty())
            .map(|b| b.name)
            .collect();
        assert_eq!(
            keyed,
            ["phone", "us_ssn", "uuid", "us_zip", "date_of_birth"]
        );
    }
}
