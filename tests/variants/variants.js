// The "never a wrong click" variant table: LinkedIn pages changed the ways LinkedIn (or a hostile page) could
// change them, each with the outcome a careful member would EXPECT per setting (ARCHITECTURE.md, confidence model
// and outcomes). Run by tests/variants/suite.test.js.
//
// A variant: {
//   name,
//   setup:  {account?, latency?, variant?}   applied over the replica's defaults (tests/replica/README.md)
//   select: [setting ids]                    what the member selects in "Opt out of everything"
//   drive:  'popup' (default) | 'overlay_turn_off' | 'overlay_manual' | 'category' | 'recheck'
//   expect: {id: outcome | [outcome, saves]} the report outcome per setting (saves: allowed save requests for it;
//                                            1 for turned_off/refused, 0 otherwise, unless given)
//   unknown?: [paths]                        (drive 'category') settings the popup must report as unknown
//   timeoutMs?                               for slow variants
// }

const AI = 'ai_training';
const AFF = 'share_with_affiliates';
const ADS = 'ads_beyond_linkedin';
const OTHERS = 'data_from_others_for_ads';
const MEASURE = 'measure_ad_success';
const CITY = 'inferred_city_location';
const INTERESTS = 'interests_and_traits';
const AGE = 'age_range';
const GENDER = 'gender';
const RESEARCH = 'research';
const PROMO = 'marketing_promotions';
const EMAILS = 'marketing_emails';
const COOKIES = 'non_essential_cookies';

const K = {
  [AI]: 'allowDataForGenerativeAI',
  [AFF]: 'shareDataWithTrustedPartners',
  [ADS]: 'allowLinkedInAudienceNetwork',
  [OTHERS]: 'allowUseOfThirdPartyData',
  [MEASURE]: 'allowConversionTrackings',
  [CITY]: 'allowIpToPersonalizeAds',
  [INTERESTS]: 'adsPrivacyAllowInterestsAndBehaviors',
  [AGE]: 'allowAdsByAge',
  [GENDER]: 'allowAdsByGender',
  [RESEARCH]: 'allowAnonymizedDataResearch',
  [PROMO]: 'allowProfileAndActivityDataForMarketingAds',
  [EMAILS]: 'tipsForUsingLinkedinViaEmail',
  [COOKIES]: 'nonEssentialCookieConsent',
};

const RECOMMENDED_IDS = [AI, AFF, ADS, OTHERS, MEASURE, CITY, INTERESTS, AGE, GENDER, RESEARCH, PROMO];

const AI_PATH = '/mypreferences/d/settings/data-for-ai-improvement';

const all = (ids, outcome) => Object.fromEntries(ids.map((id) => [id, outcome]));

const GROUP_A = [AI, AFF, RESEARCH, PROMO, ADS];
const GROUP_B = [OTHERS, MEASURE, CITY, INTERESTS, AGE, GENDER];

const languageVariants = [];
for (const lang of ['ja', 'pl', 'tr', 'ar']) {
  for (const [group, ids] of [['a', GROUP_A], ['b', GROUP_B]]) {
    languageVariants.push({
      name: `language ${lang}${lang === 'ar' ? ' (RTL)' : ''}, settings group ${group}`,
      setup: { account: { lang } },
      select: ids,
      expect: all(ids, 'turned_off'),
    });
  }
}

export const VARIANTS = [
  // ---------------------------------------------------------------- structure, not looks
  {
    name: 'class names reshuffled (another deploy seed)',
    setup: { variant: { classSeed: 'another-deploy-1' } },
    select: [AI, AFF, RESEARCH],
    expect: all([AI, AFF, RESEARCH], 'turned_off'),
  },
  {
    name: 'class names reshuffled, ads pages',
    setup: { variant: { classSeed: 'another-deploy-2' } },
    select: [ADS, AGE, GENDER],
    expect: all([ADS, AGE, GENDER], 'turned_off'),
  },
  {
    name: 'DOM reordered (reverse switch order, input before label, main before nav) and wrapped in 3 divs',
    setup: { variant: { reorder: true, wrap: 3 } },
    select: [PROMO, EMAILS, AI],
    expect: all([PROMO, EMAILS, AI], 'turned_off'),
  },
  {
    name: 'switch rows wrapped in 8 extra divs, id-kind switch (cookies)',
    setup: { variant: { wrap: 8 } },
    select: [COOKIES, RESEARCH],
    expect: all([COOKIES, RESEARCH], 'turned_off'),
  },
  // ---------------------------------------------------------------- decoys: the real switch, never the copy
  {
    name: 'decoy before the real switch, same label text, other aria-labelledby',
    setup: { variant: { decoys: { [K[AI]]: { position: 'before' } } } },
    select: [AI],
    expect: { [AI]: 'turned_off' },
  },
  {
    name: 'decoy after the real switch on a two-switch page',
    setup: { variant: { decoys: { [K[PROMO]]: { position: 'after' } } } },
    select: [PROMO, EMAILS],
    expect: all([PROMO, EMAILS], 'turned_off'),
  },
  {
    name: 'decoy without aria-labelledby (a <label> with the same text), before the real switch',
    setup: { variant: { decoys: { [K[GENDER]]: { position: 'before', labelledby: false } } } },
    select: [GENDER],
    expect: { [GENDER]: 'turned_off' },
  },
  {
    name: 'decoy in Arabic (RTL)',
    setup: { account: { lang: 'ar' }, variant: { decoys: { [K[AI]]: { position: 'before' } } } },
    select: [AI],
    expect: { [AI]: 'turned_off' },
  },
  {
    name: 'decoy, guided overlay: "Turn off" switches the real one',
    drive: 'overlay_turn_off',
    setup: { variant: { decoys: { [K[AI]]: { position: 'before' } } } },
    select: [AI],
    expect: { [AI]: 'turned_off' },
  },
  // ---------------------------------------------------------------- recognised by text only: never switched
  {
    name: 'aria-labelledby missing (label text only), en',
    setup: { variant: { dropLabelledby: [K[AI]] } },
    select: [AI],
    expect: { [AI]: 'not_found' },
  },
  {
    name: 'aria-labelledby missing (label text only), de',
    setup: { account: { lang: 'de' }, variant: { dropLabelledby: [K[ADS]] } },
    select: [ADS],
    expect: { [ADS]: 'not_found' },
  },
  {
    name: 'aria-labelledby missing (label text only), ja',
    setup: { account: { lang: 'ja' }, variant: { dropLabelledby: [K[RESEARCH]] } },
    select: [RESEARCH],
    expect: { [RESEARCH]: 'not_found' },
  },
  {
    name: 'aria-labelledby missing (label text only), ar (RTL)',
    setup: { account: { lang: 'ar' }, variant: { dropLabelledby: [K[AGE]] } },
    select: [AGE],
    expect: { [AGE]: 'not_found' },
  },
  {
    name: 'element id missing on the cookies switch (label text only)',
    setup: { variant: { dropLabelledby: [K[COOKIES]] } },
    select: [COOKIES],
    expect: { [COOKIES]: 'not_found' },
  },
  {
    name: 'text only, overlay: the candidate is highlighted for a manual change, no "Turn off"',
    drive: 'overlay_manual',
    setup: { variant: { dropLabelledby: [K[AI]] } },
    select: [AI],
    expect: { [AI]: 'manual' },
  },
  {
    name: 'text only, overlay in German',
    drive: 'overlay_manual',
    setup: { account: { lang: 'de' }, variant: { dropLabelledby: [K[GENDER]] } },
    select: [GENDER],
    expect: { [GENDER]: 'manual' },
  },
  {
    name: 'text only plus a decoy with the same text: ambiguous, nothing clicked',
    setup: { variant: { dropLabelledby: [K[RESEARCH]], decoys: { [K[RESEARCH]]: { position: 'after' } } } },
    select: [RESEARCH],
    expect: { [RESEARCH]: 'not_found' },
  },
  {
    name: 'aria-labelledby id renamed (rules outdated)',
    setup: { variant: { renameLabelledby: { [K[AI]]: 'allowDataForGenAIv2' } } },
    select: [AI, RESEARCH],
    expect: { [AI]: 'not_found', [RESEARCH]: 'turned_off' },
  },
  {
    name: 'aria-labelledby id renamed, ja',
    setup: { account: { lang: 'ja' }, variant: { renameLabelledby: { [K[MEASURE]]: 'conversionTrackingV2' } } },
    select: [MEASURE],
    expect: { [MEASURE]: 'not_found' },
  },
  {
    name: 'duplicate ids: two switches with the same aria-labelledby',
    setup: { variant: { duplicates: [K[AI]] } },
    select: [AI],
    expect: { [AI]: 'not_found' },
  },
  {
    name: 'duplicate ids on a two-switch page: the other switch is still handled',
    setup: { variant: { duplicates: [K[PROMO]] } },
    select: [PROMO, EMAILS],
    expect: { [PROMO]: 'not_found', [EMAILS]: 'turned_off' },
  },
  // ---------------------------------------------------------------- timing
  {
    name: 'switches rendered after 5 s (within the 10 s deadline)',
    setup: { latency: { render: 5000 } },
    select: [AI],
    expect: { [AI]: 'turned_off' },
    timeoutMs: 60000,
  },
  {
    name: 'switch never rendered (not_found after the deadline)',
    setup: { variant: { hideSwitches: [K[AI]] } },
    select: [AI],
    expect: { [AI]: 'not_found' },
    timeoutMs: 60000,
  },
  {
    name: 'one of two switches never rendered',
    setup: { variant: { hideSwitches: [K[EMAILS]] } },
    select: [PROMO, EMAILS],
    expect: { [PROMO]: 'turned_off', [EMAILS]: 'not_found' },
    timeoutMs: 60000,
  },
  {
    name: 'slow saves (1.5 s)',
    setup: { latency: { save: 1500 } },
    select: [CITY, INTERESTS],
    expect: all([CITY, INTERESTS], 'turned_off'),
  },
  {
    name: 'switch rendered but hidden (display:none)',
    setup: { variant: { hiddenSwitches: [K[OTHERS]] } },
    select: [OTHERS],
    expect: { [OTHERS]: 'not_found' },
  },
  // ---------------------------------------------------------------- LinkedIn says no
  {
    name: 'confirmation dialog before saving (no rule knows it): refused, nothing confirmed',
    setup: { variant: { confirm: { [K[AI]]: true } } },
    select: [AI],
    expect: { [AI]: ['refused', 0] },
  },
  {
    name: 'confirmation dialog in German with its own labels: refused, nothing confirmed',
    setup: { account: { lang: 'de' }, variant: { confirm: { [K[GENDER]]: { text: 'Sind Sie sicher?', confirmLabel: 'Deaktivieren', cancelLabel: 'Abbrechen' } } } },
    select: [GENDER, AGE],
    expect: { [GENDER]: ['refused', 0], [AGE]: 'turned_off' },
  },
  {
    name: 'disabled switch (on): not_offered',
    setup: { variant: { disabledSwitches: [K[RESEARCH]] } },
    select: [RESEARCH],
    expect: { [RESEARCH]: 'not_offered' },
  },
  {
    name: 'disabled switch already off: already_off',
    setup: { account: { settings: { [K[RESEARCH]]: false } }, variant: { disabledSwitches: [K[RESEARCH]] } },
    select: [RESEARCH],
    expect: { [RESEARCH]: 'already_off' },
  },
  {
    name: 'switch flips back 1 s after the click (server reverts): refused by the fresh-load verify',
    setup: { variant: { revertAfter: { [K[AGE]]: 1000 } } },
    select: [AGE],
    expect: { [AGE]: 'refused' },
  },
  {
    name: 'switch flips back 0.3 s after the click',
    setup: { variant: { revertAfter: { [K[AI]]: 300 } } },
    select: [AI, AFF],
    expect: { [AI]: 'refused', [AFF]: 'turned_off' },
  },
  {
    name: 'failing save (500) on research',
    setup: { account: { failSaves: [K[RESEARCH]] } },
    select: [RESEARCH, AI],
    expect: { [RESEARCH]: 'refused', [AI]: 'turned_off' },
  },
  {
    name: 'failing save (500) on the cookies switch',
    setup: { account: { failSaves: [K[COOKIES]] } },
    select: [COOKIES],
    expect: { [COOKIES]: 'refused' },
  },
  // ---------------------------------------------------------------- pages that moved or are missing
  {
    name: 'settings slug renamed: the old path redirects by script to a path the rules do not know',
    setup: { variant: { moved: { [AI_PATH]: '/mypreferences/d/settings/generative-ai-data' } } },
    select: [AI],
    expect: { [AI]: 'turned_off' },
  },
  {
    name: 'slug renamed and the label reworded: structure alone on an unknown path is below the threshold',
    setup: { variant: { moved: { [AI_PATH]: '/mypreferences/d/settings/generative-ai-data' }, labels: { [K[AI]]: 'Let LinkedIn train AI on my content' } } },
    select: [AI],
    expect: { [AI]: 'not_found' },
  },
  {
    name: '404 for a setting page',
    setup: { account: { missingPaths: [AI_PATH] } },
    select: [AI, RESEARCH],
    expect: { [AI]: 'not_offered', [RESEARCH]: 'turned_off' },
  },
  {
    name: 'affiliates pages missing (region eu): not_offered',
    setup: { account: { region: 'eu' } },
    select: [AFF],
    expect: { [AFF]: 'not_offered' },
  },
  {
    name: 'first affiliates path 404, the alternate path works',
    setup: { account: { missingPaths: ['/mypreferences/d/settings/share-data-with-select-partners'] } },
    select: [AFF],
    expect: { [AFF]: 'turned_off' },
  },
  // ---------------------------------------------------------------- sign-in wall
  {
    name: 'sign-in wall mid-run: signed out after the first save',
    setup: { variant: { signOutAfterSaves: 1 } },
    select: [AI, ADS, RESEARCH],
    // The save LinkedIn took before the wall is a change LinkedOut made, not confirmed yet: never "not changed".
    expect: { [AI]: ['unconfirmed', 1], [ADS]: 'needs_sign_in', [RESEARCH]: 'needs_sign_in' },
  },
  {
    name: 'signed out from the start',
    drive: 'signed_out',
    setup: { account: { signedIn: false } },
    select: [AI, GENDER],
    expect: all([AI, GENDER], 'sign_in_first'),
  },
  // ---------------------------------------------------------------- already off, discovery
  {
    name: 'every recommended setting last read as off: the popup\'s button re-checks them, clicks nothing',
    drive: 'recheck',
    setup: { account: { settings: Object.fromEntries(RECOMMENDED_IDS.map((id) => [K[id], false])) } },
    select: RECOMMENDED_IDS,
    expect: all(RECOMMENDED_IDS, 'already_off'),
  },
  {
    name: 'a category page lists a setting no rule knows: the popup reports it with a link',
    drive: 'category',
    setup: { variant: { extraLinks: { privacy: [{ href: '/mypreferences/d/settings/ai-voice-cloning', text: 'Voice cloning' }] } } },
    select: [],
    expect: {},
    unknown: ['/mypreferences/d/settings/ai-voice-cloning'],
  },
  ...languageVariants,
];

/** The replica key of each setting id (aria-labelledby, or element id for cookies). */
export const KEYS = K;
