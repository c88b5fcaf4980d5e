// The LinkedIn replica's content: every settings page LinkedOut knows (see shared linkedin-facts.md),
// the category pages that link to them, a few non-settings pages, and the page chrome strings, in
// en, de, fr, es, nl, pt-BR, it, ja, pl, tr and ar (ar is rendered right to left, see RTL_LANGS).
//
// The labels here are the replica's idea of LinkedIn's wording. The de/fr/nl/pt-BR/it strings for the AI
// setting and the de affiliates title are the ones reported in the wild; the rest are natural translations.
// To add a setting: add a page (or a switch to a page) below. To add a language: add its key to every
// `t({...})` text and to UI_STRINGS.

/** Languages the replica can render. */
export const LANGS = ['en', 'de', 'fr', 'es', 'nl', 'pt-BR', 'it', 'ja', 'pl', 'tr', 'ar'];

/** Languages written right to left: the replica renders `<html dir="rtl">` for them. */
export const RTL_LANGS = ['ar'];

/** Picks the text for `lang` from a per-language object, falling back to the base language, then English. */
export function pick(texts, lang) {
  if (texts == null) return '';
  if (typeof texts === 'string') return texts;
  if (lang in texts) return texts[lang];
  const base = String(lang).split(/[-_]/)[0].toLowerCase();
  for (const key of Object.keys(texts)) {
    if (key.split(/[-_]/)[0].toLowerCase() === base) return texts[key];
  }
  return texts.en;
}

/** Resolves an account language ("de", "de-DE", "de_DE", "pt-br") to one of LANGS, or "en". */
export function resolveLang(lang) {
  if (!lang) return 'en';
  const norm = String(lang).replace('_', '-');
  const exact = LANGS.find((l) => l.toLowerCase() === norm.toLowerCase());
  if (exact) return exact;
  const base = norm.split('-')[0].toLowerCase();
  return LANGS.find((l) => l.split('-')[0].toLowerCase() === base) ?? 'en';
}

const AFFILIATES_ALT_PATH = '/mypreferences/s/settings/share-data-with-trusted-partners';
const AFFILIATES_PATH = '/mypreferences/d/settings/share-data-with-select-partners';

/** Paths of the affiliates setting; absent for accounts in the EU/EEA and Switzerland. */
export const AFFILIATES_PATHS = [AFFILIATES_PATH, AFFILIATES_ALT_PATH];

/** Regions where LinkedIn offers no affiliates opt-out page (the sharing does not happen there). */
export const REGIONS_WITHOUT_AFFILIATES = ['eu', 'ch'];

/**
 * Settings pages. Each switch has a `key`: its aria-labelledby value (`kind: 'labelledby'`) or its element id
 * (`kind: 'id'`, labelled by an aria-label). The key also names the server-side state and the save endpoint.
 */
export const SETTINGS_PAGES = [
  {
    path: '/mypreferences/d/settings/data-for-ai-improvement',
    category: 'privacy',
    title: {
      en: 'Data for Generative AI Improvement',
      de: 'Daten zur Verbesserung generativer KI',
      fr: "Données pour l'amélioration de l'IA générative",
      es: 'Datos para la mejora de la IA generativa',
      nl: 'Gegevens voor verbetering van generatieve AI',
      'pt-BR': 'Dados para aprimoramento da IA generativa',
      it: "Dati per migliorare l'IA generativa",
      ja: '生成AI改善のためのデータ',
      pl: 'Dane do ulepszania generatywnej AI',
      tr: 'Üretken Yapay Zeka İyileştirmesi için Veriler',
      ar: 'البيانات لتحسين الذكاء الاصطناعي التوليدي',
    },
    description: {
      en: 'LinkedIn and its affiliates may use your personal data and the content you create on LinkedIn to train generative AI models that create content.',
      de: 'LinkedIn und verbundene Unternehmen können Ihre personenbezogenen Daten und die Inhalte, die Sie auf LinkedIn erstellen, verwenden, um generative KI-Modelle zu trainieren, die Inhalte erstellen.',
      fr: 'LinkedIn et ses sociétés affiliées peuvent utiliser vos données personnelles et les contenus que vous créez sur LinkedIn pour entraîner des modèles d\u2019IA générative qui créent du contenu.',
      es: 'LinkedIn y sus filiales pueden usar tus datos personales y el contenido que creas en LinkedIn para entrenar modelos de IA generativa que crean contenido.',
      nl: 'LinkedIn en gelieerde ondernemingen kunnen uw persoonsgegevens en de content die u op LinkedIn maakt gebruiken om generatieve AI-modellen te trainen die content maken.',
      'pt-BR': 'O LinkedIn e suas afiliadas podem usar seus dados pessoais e o conteúdo que você cria no LinkedIn para treinar modelos de IA generativa que criam conteúdo.',
      it: 'LinkedIn e le sue società affiliate possono utilizzare i tuoi dati personali e i contenuti che crei su LinkedIn per addestrare modelli di IA generativa che creano contenuti.',
      ja: 'LinkedInとその関連会社は、お客様の個人データとLinkedInで作成したコンテンツを、コンテンツを作成する生成AIモデルのトレーニングに使用することがあります。',
      pl: 'LinkedIn i jego podmioty stowarzyszone mogą wykorzystywać Twoje dane osobowe i treści, które tworzysz na LinkedIn, do trenowania modeli generatywnej AI, które tworzą treści.',
      tr: "LinkedIn ve bağlı şirketleri, kişisel verilerinizi ve LinkedIn'de oluşturduğunuz içerikleri, içerik oluşturan üretken yapay zeka modellerini eğitmek için kullanabilir.",
      ar: 'يجوز لـ LinkedIn والشركات التابعة لها استخدام بياناتك الشخصية والمحتوى الذي تنشئه على LinkedIn لتدريب نماذج الذكاء الاصطناعي التوليدي التي تنشئ المحتوى.',
    },
    switches: [{
      key: 'allowDataForGenerativeAI',
      kind: 'labelledby',
      label: {
        en: 'Use my data for training content creation AI models',
        de: 'Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen',
        fr: "Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
        es: 'Usar mis datos para entrenar modelos de IA de creación de contenido',
        nl: 'Mijn gegevens gebruiken voor training van AI-modellen waarmee content wordt gemaakt',
        'pt-BR': 'Usar meus dados para treinar modelos de IA para criar conteúdos',
        it: 'Usa i miei dati per addestrare modelli di IA per la creazione di contenuti',
        ja: 'コンテンツ作成AIモデルのトレーニングに自分のデータを使用する',
        pl: 'Używaj moich danych do trenowania modeli AI tworzących treści',
        tr: 'Verilerimi içerik oluşturan yapay zeka modellerini eğitmek için kullan',
        ar: 'استخدام بياناتي لتدريب نماذج الذكاء الاصطناعي لإنشاء المحتوى',
      },
    }],
  },
  {
    path: AFFILIATES_PATH,
    aliases: [AFFILIATES_ALT_PATH],
    category: 'ads',
    title: {
      en: 'Share data with affiliates and partners',
      de: 'Daten mit verbundenen Unternehmen und Partnern teilen',
      fr: 'Partager des données avec les sociétés affiliées et les partenaires',
      es: 'Compartir datos con filiales y socios',
      nl: 'Gegevens delen met gelieerde ondernemingen en partners',
      'pt-BR': 'Compartilhar dados com afiliadas e parceiros',
      it: 'Condividi i dati con società affiliate e partner',
      ja: '関連会社およびパートナーとのデータ共有',
      pl: 'Udostępnianie danych podmiotom stowarzyszonym i partnerom',
      tr: 'Bağlı şirketler ve iş ortaklarıyla veri paylaşımı',
      ar: 'مشاركة البيانات مع الشركات التابعة والشركاء',
    },
    description: {
      en: 'LinkedIn can share data about you with its affiliates, such as Microsoft, and with select partners, so that they can show you more relevant ads.',
      de: 'LinkedIn kann Daten über Sie mit verbundenen Unternehmen wie Microsoft und mit ausgewählten Partnern teilen, damit diese Ihnen relevantere Anzeigen zeigen können.',
      fr: 'LinkedIn peut partager des données vous concernant avec ses sociétés affiliées, comme Microsoft, et avec des partenaires sélectionnés, afin qu\u2019ils vous montrent des publicités plus pertinentes.',
      es: 'LinkedIn puede compartir datos sobre ti con sus filiales, como Microsoft, y con socios seleccionados para que te muestren anuncios más relevantes.',
      nl: 'LinkedIn kan gegevens over u delen met gelieerde ondernemingen, zoals Microsoft, en met geselecteerde partners, zodat zij u relevantere advertenties kunnen tonen.',
      'pt-BR': 'O LinkedIn pode compartilhar dados sobre você com suas afiliadas, como a Microsoft, e com parceiros selecionados, para que eles mostrem anúncios mais relevantes.',
      it: 'LinkedIn può condividere dati che ti riguardano con le sue società affiliate, come Microsoft, e con partner selezionati, affinché ti mostrino annunci più pertinenti.',
      ja: 'LinkedInは、お客様に関するデータをMicrosoftなどの関連会社や選ばれたパートナーと共有し、より関連性の高い広告を表示できるようにすることがあります。',
      pl: 'LinkedIn może udostępniać dane o Tobie swoim podmiotom stowarzyszonym, takim jak Microsoft, oraz wybranym partnerom, aby mogli wyświetlać Ci trafniejsze reklamy.',
      tr: 'LinkedIn, size daha alakalı reklamlar gösterebilmeleri için hakkınızdaki verileri Microsoft gibi bağlı şirketleriyle ve seçili iş ortaklarıyla paylaşabilir.',
      ar: 'يمكن لـ LinkedIn مشاركة بيانات عنك مع الشركات التابعة لها، مثل Microsoft، ومع شركاء مختارين، حتى يتمكنوا من عرض إعلانات أكثر صلة بك.',
    },
    switches: [{
      key: 'shareDataWithTrustedPartners',
      kind: 'labelledby',
      label: {
        en: 'Share my data with LinkedIn affiliates and select partners',
        de: 'Meine Daten mit verbundenen Unternehmen von LinkedIn und ausgewählten Partnern teilen',
        fr: 'Partager mes données avec les sociétés affiliées de LinkedIn et des partenaires sélectionnés',
        es: 'Compartir mis datos con filiales de LinkedIn y socios seleccionados',
        nl: 'Mijn gegevens delen met gelieerde ondernemingen van LinkedIn en geselecteerde partners',
        'pt-BR': 'Compartilhar meus dados com afiliadas do LinkedIn e parceiros selecionados',
        it: 'Condividi i miei dati con le società affiliate di LinkedIn e partner selezionati',
        ja: 'LinkedInの関連会社および選ばれたパートナーと自分のデータを共有する',
        pl: 'Udostępniaj moje dane podmiotom stowarzyszonym LinkedIn i wybranym partnerom',
        tr: "Verilerimi LinkedIn'in bağlı şirketleri ve seçili iş ortaklarıyla paylaş",
        ar: 'مشاركة بياناتي مع الشركات التابعة لـ LinkedIn وشركاء مختارين',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/ads-beyond-linkedin',
    category: 'ads',
    title: {
      en: 'Ads beyond LinkedIn',
      de: 'Anzeigen außerhalb von LinkedIn',
      fr: 'Publicités en dehors de LinkedIn',
      es: 'Anuncios fuera de LinkedIn',
      nl: 'Advertenties buiten LinkedIn',
      'pt-BR': 'Anúncios fora do LinkedIn',
      it: 'Annunci al di fuori di LinkedIn',
      ja: 'LinkedIn外での広告',
      pl: 'Reklamy poza LinkedIn',
      tr: 'LinkedIn dışındaki reklamlar',
      ar: 'الإعلانات خارج LinkedIn',
    },
    description: {
      en: 'Choose whether LinkedIn can show you personalized ads on other apps and websites. Turning this off also turns off data sharing for these ads.',
      de: 'Legen Sie fest, ob LinkedIn Ihnen personalisierte Anzeigen in anderen Apps und auf anderen Websites zeigen darf. Wenn Sie dies deaktivieren, wird auch die Datenweitergabe für diese Anzeigen deaktiviert.',
      fr: 'Choisissez si LinkedIn peut vous montrer des publicités personnalisées sur d\u2019autres applications et sites web. Désactiver ce paramètre désactive aussi le partage de données pour ces publicités.',
      es: 'Elige si LinkedIn puede mostrarte anuncios personalizados en otras aplicaciones y sitios web. Si lo desactivas, también se desactiva el intercambio de datos para estos anuncios.',
      nl: 'Kies of LinkedIn u gepersonaliseerde advertenties mag tonen in andere apps en op andere websites. Als u dit uitschakelt, wordt ook het delen van gegevens voor deze advertenties uitgeschakeld.',
      'pt-BR': 'Escolha se o LinkedIn pode mostrar anúncios personalizados em outros aplicativos e sites. Desativar esta opção também desativa o compartilhamento de dados para esses anúncios.',
      it: 'Scegli se LinkedIn può mostrarti annunci personalizzati su altre app e siti web. Disattivando questa opzione si disattiva anche la condivisione dei dati per questi annunci.',
      ja: 'LinkedInが他のアプリやウェブサイトでパーソナライズ広告を表示できるかどうかを選択します。これをオフにすると、これらの広告のためのデータ共有もオフになります。',
      pl: 'Wybierz, czy LinkedIn może wyświetlać Ci spersonalizowane reklamy w innych aplikacjach i witrynach. Wyłączenie tej opcji wyłącza też udostępnianie danych na potrzeby tych reklam.',
      tr: "LinkedIn'in diğer uygulamalarda ve web sitelerinde size kişiselleştirilmiş reklamlar gösterip gösteremeyeceğini seçin. Bunu kapatmak, bu reklamlar için veri paylaşımını da kapatır.",
      ar: 'اختر ما إذا كان يمكن لـ LinkedIn عرض إعلانات مخصصة لك على التطبيقات والمواقع الإلكترونية الأخرى. يؤدي إيقاف هذا الخيار أيضًا إلى إيقاف مشاركة البيانات لهذه الإعلانات.',
    },
    switches: [{
      key: 'allowLinkedInAudienceNetwork',
      kind: 'labelledby',
      label: {
        en: 'Allow LinkedIn to show me personalized ads on other apps and websites',
        de: 'LinkedIn erlauben, mir personalisierte Anzeigen in anderen Apps und auf anderen Websites zu zeigen',
        fr: 'Autoriser LinkedIn à me montrer des publicités personnalisées sur d\u2019autres applications et sites web',
        es: 'Permitir que LinkedIn me muestre anuncios personalizados en otras aplicaciones y sitios web',
        nl: 'LinkedIn toestaan mij gepersonaliseerde advertenties te tonen in andere apps en op andere websites',
        'pt-BR': 'Permitir que o LinkedIn me mostre anúncios personalizados em outros aplicativos e sites',
        it: 'Consenti a LinkedIn di mostrarmi annunci personalizzati su altre app e siti web',
        ja: '他のアプリやウェブサイトでLinkedInがパーソナライズ広告を表示することを許可する',
        pl: 'Zezwalaj LinkedIn na wyświetlanie mi spersonalizowanych reklam w innych aplikacjach i witrynach',
        tr: "LinkedIn'in diğer uygulamalarda ve web sitelerinde bana kişiselleştirilmiş reklamlar göstermesine izin ver",
        ar: 'السماح لـ LinkedIn بعرض إعلانات مخصصة لي على التطبيقات والمواقع الإلكترونية الأخرى',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/ads-interactions-with-business',
    category: 'ads',
    title: {
      en: 'Data from others for ads',
      de: 'Daten von anderen für Anzeigen',
      fr: 'Données provenant de tiers pour les publicités',
      es: 'Datos de terceros para anuncios',
      nl: 'Gegevens van anderen voor advertenties',
      'pt-BR': 'Dados de terceiros para anúncios',
      it: 'Dati di terzi per gli annunci',
      ja: '広告のための他社からのデータ',
      pl: 'Dane od innych podmiotów na potrzeby reklam',
      tr: 'Reklamlar için başkalarından gelen veriler',
      ar: 'بيانات من الآخرين للإعلانات',
    },
    description: {
      en: 'Advertisers and other third parties may share data with LinkedIn, such as your visits to their websites, that we use to personalize ads.',
      de: 'Werbetreibende und andere Dritte können Daten mit LinkedIn teilen, etwa Ihre Besuche auf deren Websites, die wir zur Personalisierung von Anzeigen verwenden.',
      fr: 'Les annonceurs et d\u2019autres tiers peuvent partager avec LinkedIn des données, comme vos visites sur leurs sites web, que nous utilisons pour personnaliser les publicités.',
      es: 'Los anunciantes y otros terceros pueden compartir datos con LinkedIn, como tus visitas a sus sitios web, que usamos para personalizar anuncios.',
      nl: 'Adverteerders en andere derden kunnen gegevens met LinkedIn delen, zoals uw bezoeken aan hun websites, die wij gebruiken om advertenties te personaliseren.',
      'pt-BR': 'Anunciantes e outros terceiros podem compartilhar dados com o LinkedIn, como suas visitas aos sites deles, que usamos para personalizar anúncios.',
      it: 'Gli inserzionisti e altre terze parti possono condividere con LinkedIn dati, come le tue visite ai loro siti web, che utilizziamo per personalizzare gli annunci.',
      ja: '広告主やその他の第三者は、お客様によるウェブサイトへの訪問などのデータをLinkedInと共有することがあり、LinkedInはそれを広告のパーソナライズに使用します。',
      pl: 'Reklamodawcy i inne podmioty zewnętrzne mogą udostępniać LinkedIn dane, na przykład o Twoich wizytach w ich witrynach, których używamy do personalizowania reklam.',
      tr: 'Reklamverenler ve diğer üçüncü taraflar, web sitelerini ziyaretleriniz gibi verileri LinkedIn ile paylaşabilir. Bu verileri reklamları kişiselleştirmek için kullanırız.',
      ar: 'قد يشارك المعلنون وجهات خارجية أخرى بيانات مع LinkedIn، مثل زياراتك لمواقعهم الإلكترونية، ونستخدمها لتخصيص الإعلانات.',
    },
    switches: [{
      key: 'allowUseOfThirdPartyData',
      kind: 'labelledby',
      label: {
        en: 'Use data from advertisers and other third parties to personalize my ads',
        de: 'Daten von Werbetreibenden und anderen Dritten zur Personalisierung meiner Anzeigen verwenden',
        fr: 'Utiliser les données des annonceurs et d\u2019autres tiers pour personnaliser mes publicités',
        es: 'Usar datos de anunciantes y otros terceros para personalizar mis anuncios',
        nl: 'Gegevens van adverteerders en andere derden gebruiken om mijn advertenties te personaliseren',
        'pt-BR': 'Usar dados de anunciantes e outros terceiros para personalizar meus anúncios',
        it: 'Usa i dati di inserzionisti e altre terze parti per personalizzare i miei annunci',
        ja: '広告主やその他の第三者からのデータを使用して自分の広告をパーソナライズする',
        pl: 'Używaj danych od reklamodawców i innych podmiotów zewnętrznych do personalizowania moich reklam',
        tr: 'Reklamlarımı kişiselleştirmek için reklamverenlerden ve diğer üçüncü taraflardan gelen verileri kullan',
        ar: 'استخدام بيانات من المعلنين وجهات خارجية أخرى لتخصيص إعلاناتي',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/ads-related-actions',
    category: 'ads',
    title: {
      en: 'Measure ad success',
      de: 'Anzeigenerfolg messen',
      fr: 'Mesurer le succès des publicités',
      es: 'Medir el éxito de los anuncios',
      nl: 'Advertentiesucces meten',
      'pt-BR': 'Medir o sucesso dos anúncios',
      it: 'Misura il successo degli annunci',
      ja: '広告効果の測定',
      pl: 'Mierzenie skuteczności reklam',
      tr: 'Reklam başarısını ölçme',
      ar: 'قياس نجاح الإعلانات',
    },
    description: {
      en: 'Advertisers want to know how well their ads work. Choose whether actions you take after seeing an ad can appear in their conversion reports.',
      de: 'Werbetreibende möchten wissen, wie gut ihre Anzeigen funktionieren. Legen Sie fest, ob Ihre Aktionen nach dem Sehen einer Anzeige in deren Conversion-Berichten erscheinen dürfen.',
      fr: 'Les annonceurs veulent savoir si leurs publicités fonctionnent. Choisissez si les actions que vous effectuez après avoir vu une publicité peuvent figurer dans leurs rapports de conversion.',
      es: 'Los anunciantes quieren saber si sus anuncios funcionan. Elige si las acciones que realizas después de ver un anuncio pueden aparecer en sus informes de conversión.',
      nl: 'Adverteerders willen weten hoe goed hun advertenties werken. Kies of acties die u uitvoert nadat u een advertentie hebt gezien in hun conversierapporten mogen verschijnen.',
      'pt-BR': 'Os anunciantes querem saber se seus anúncios funcionam. Escolha se as ações que você realiza depois de ver um anúncio podem aparecer nos relatórios de conversão deles.',
      it: 'Gli inserzionisti vogliono sapere quanto funzionano i loro annunci. Scegli se le azioni che compi dopo aver visto un annuncio possono comparire nei loro report sulle conversioni.',
      ja: '広告主は自社の広告の効果を知りたいと考えています。広告を見た後のお客様の行動を、広告主のコンバージョンレポートに表示できるかどうかを選択します。',
      pl: 'Reklamodawcy chcą wiedzieć, jak skuteczne są ich reklamy. Wybierz, czy działania, które podejmujesz po obejrzeniu reklamy, mogą pojawiać się w ich raportach konwersji.',
      tr: 'Reklamverenler reklamlarının ne kadar iyi çalıştığını bilmek ister. Bir reklamı gördükten sonra yaptığınız işlemlerin dönüşüm raporlarında görünüp görünemeyeceğini seçin.',
      ar: 'يريد المعلنون معرفة مدى فعالية إعلاناتهم. اختر ما إذا كان يمكن أن تظهر الإجراءات التي تتخذها بعد مشاهدة إعلان في تقارير التحويل الخاصة بهم.',
    },
    switches: [{
      key: 'allowConversionTrackings',
      kind: 'labelledby',
      label: {
        en: 'Use my actions to measure the success of ads',
        de: 'Meine Aktionen verwenden, um den Erfolg von Anzeigen zu messen',
        fr: 'Utiliser mes actions pour mesurer le succès des publicités',
        es: 'Usar mis acciones para medir el éxito de los anuncios',
        nl: 'Mijn acties gebruiken om het succes van advertenties te meten',
        'pt-BR': 'Usar minhas ações para medir o sucesso dos anúncios',
        it: 'Usa le mie azioni per misurare il successo degli annunci',
        ja: '自分の行動を広告の効果測定に使用する',
        pl: 'Używaj moich działań do mierzenia skuteczności reklam',
        tr: 'Reklamların başarısını ölçmek için işlemlerimi kullan',
        ar: 'استخدام إجراءاتي لقياس نجاح الإعلانات',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/ads-inferred-location',
    category: 'ads',
    title: {
      en: 'Inferred city location',
      de: 'Abgeleiteter Standort (Stadt)',
      fr: 'Ville déduite',
      es: 'Ubicación de ciudad inferida',
      nl: 'Afgeleide stad',
      'pt-BR': 'Localização de cidade inferida',
      it: 'Città dedotta',
      ja: '推定された都市の位置情報',
      pl: 'Wywnioskowana lokalizacja (miasto)',
      tr: 'Tahmin edilen şehir konumu',
      ar: 'موقع المدينة المستنتج',
    },
    description: {
      en: 'We may infer the city you are in from your IP address and use it to show you ads.',
      de: 'Wir können anhand Ihrer IP-Adresse ableiten, in welcher Stadt Sie sich befinden, und dies nutzen, um Ihnen Anzeigen zu zeigen.',
      fr: 'Nous pouvons déduire votre ville à partir de votre adresse IP et l\u2019utiliser pour vous montrer des publicités.',
      es: 'Podemos inferir la ciudad en la que estás a partir de tu dirección IP y usarla para mostrarte anuncios.',
      nl: 'We kunnen uit uw IP-adres afleiden in welke stad u zich bevindt en dat gebruiken om u advertenties te tonen.',
      'pt-BR': 'Podemos inferir a cidade em que você está a partir do seu endereço IP e usá-la para mostrar anúncios.',
      it: 'Possiamo dedurre la città in cui ti trovi dal tuo indirizzo IP e usarla per mostrarti annunci.',
      ja: 'お客様のIPアドレスから現在いる都市を推定し、広告の表示に使用することがあります。',
      pl: 'Możemy ustalić na podstawie Twojego adresu IP, w jakim mieście jesteś, i używać tego do wyświetlania Ci reklam.',
      tr: 'IP adresinizden bulunduğunuz şehri tahmin edebilir ve bunu size reklam göstermek için kullanabiliriz.',
      ar: 'قد نستنتج المدينة التي توجد فيها من عنوان IP الخاص بك ونستخدمها لعرض الإعلانات لك.',
    },
    switches: [{
      key: 'allowIpToPersonalizeAds',
      kind: 'labelledby',
      label: {
        en: 'Use my inferred city location to show me ads',
        de: 'Meinen abgeleiteten Standort verwenden, um mir Anzeigen zu zeigen',
        fr: 'Utiliser ma ville déduite pour me montrer des publicités',
        es: 'Usar mi ubicación de ciudad inferida para mostrarme anuncios',
        nl: 'Mijn afgeleide stad gebruiken om mij advertenties te tonen',
        'pt-BR': 'Usar minha localização de cidade inferida para me mostrar anúncios',
        it: 'Usa la mia città dedotta per mostrarmi annunci',
        ja: '推定された都市の位置情報を使用して広告を表示する',
        pl: 'Używaj mojej wywnioskowanej lokalizacji (miasta) do wyświetlania mi reklam',
        tr: 'Bana reklam göstermek için tahmin edilen şehir konumumu kullan',
        ar: 'استخدام موقع مدينتي المستنتج لعرض الإعلانات لي',
      },
    }],
  },
  {
    path: '/mypreferences/d/interest-categories',
    category: 'ads',
    title: {
      en: 'Interests and traits',
      de: 'Interessen und Merkmale',
      fr: 'Centres d\u2019intérêt et caractéristiques',
      es: 'Intereses y rasgos',
      nl: 'Interesses en kenmerken',
      'pt-BR': 'Interesses e características',
      it: 'Interessi e caratteristiche',
      ja: '興味・関心と特性',
      pl: 'Zainteresowania i cechy',
      tr: 'İlgi alanları ve özellikler',
      ar: 'الاهتمامات والسمات',
    },
    description: {
      en: 'We infer interests and traits from your profile and activity on LinkedIn and may use them to show you ads.',
      de: 'Wir leiten Interessen und Merkmale aus Ihrem Profil und Ihren Aktivitäten auf LinkedIn ab und können sie verwenden, um Ihnen Anzeigen zu zeigen.',
      fr: 'Nous déduisons des centres d\u2019intérêt et des caractéristiques de votre profil et de votre activité sur LinkedIn, et pouvons les utiliser pour vous montrer des publicités.',
      es: 'Inferimos intereses y rasgos a partir de tu perfil y tu actividad en LinkedIn y podemos usarlos para mostrarte anuncios.',
      nl: 'We leiden interesses en kenmerken af uit uw profiel en activiteit op LinkedIn en kunnen die gebruiken om u advertenties te tonen.',
      'pt-BR': 'Inferimos interesses e características a partir do seu perfil e da sua atividade no LinkedIn e podemos usá-los para mostrar anúncios.',
      it: 'Deduciamo interessi e caratteristiche dal tuo profilo e dalla tua attività su LinkedIn e possiamo usarli per mostrarti annunci.',
      ja: 'LinkedInでのプロフィールとアクティビティから興味・関心と特性を推定し、広告の表示に使用することがあります。',
      pl: 'Wnioskujemy o Twoich zainteresowaniach i cechach na podstawie Twojego profilu i aktywności na LinkedIn i możemy używać ich do wyświetlania Ci reklam.',
      tr: "LinkedIn'deki profilinizden ve etkinliğinizden ilgi alanlarınızı ve özelliklerinizi tahmin eder ve bunları size reklam göstermek için kullanabiliriz.",
      ar: 'نستنتج الاهتمامات والسمات من ملفك الشخصي ونشاطك على LinkedIn وقد نستخدمها لعرض الإعلانات لك.',
    },
    switches: [{
      key: 'adsPrivacyAllowInterestsAndBehaviors',
      kind: 'labelledby',
      label: {
        en: 'Use my inferred interests and traits to show me ads',
        de: 'Meine abgeleiteten Interessen und Merkmale verwenden, um mir Anzeigen zu zeigen',
        fr: 'Utiliser mes centres d\u2019intérêt et caractéristiques déduits pour me montrer des publicités',
        es: 'Usar mis intereses y rasgos inferidos para mostrarme anuncios',
        nl: 'Mijn afgeleide interesses en kenmerken gebruiken om mij advertenties te tonen',
        'pt-BR': 'Usar meus interesses e características inferidos para me mostrar anúncios',
        it: 'Usa i miei interessi e caratteristiche dedotti per mostrarmi annunci',
        ja: '推定された興味・関心と特性を使用して広告を表示する',
        pl: 'Używaj moich wywnioskowanych zainteresowań i cech do wyświetlania mi reklam',
        tr: 'Bana reklam göstermek için tahmin edilen ilgi alanlarımı ve özelliklerimi kullan',
        ar: 'استخدام اهتماماتي وسماتي المستنتجة لعرض الإعلانات لي',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/ads-by-age',
    category: 'ads',
    title: {
      en: 'Age range',
      de: 'Altersgruppe',
      fr: 'Tranche d\u2019âge',
      es: 'Rango de edad',
      nl: 'Leeftijdscategorie',
      'pt-BR': 'Faixa etária',
      it: 'Fascia d\u2019età',
      ja: '年齢層',
      pl: 'Przedział wiekowy',
      tr: 'Yaş aralığı',
      ar: 'الفئة العمرية',
    },
    description: {
      en: 'We may infer your age range from your profile and use it to show you ads.',
      de: 'Wir können Ihre Altersgruppe aus Ihrem Profil ableiten und sie verwenden, um Ihnen Anzeigen zu zeigen.',
      fr: 'Nous pouvons déduire votre tranche d\u2019âge de votre profil et l\u2019utiliser pour vous montrer des publicités.',
      es: 'Podemos inferir tu rango de edad a partir de tu perfil y usarlo para mostrarte anuncios.',
      nl: 'We kunnen uw leeftijdscategorie afleiden uit uw profiel en die gebruiken om u advertenties te tonen.',
      'pt-BR': 'Podemos inferir sua faixa etária a partir do seu perfil e usá-la para mostrar anúncios.',
      it: 'Possiamo dedurre la tua fascia d\u2019età dal tuo profilo e usarla per mostrarti annunci.',
      ja: 'プロフィールからお客様の年齢層を推定し、広告の表示に使用することがあります。',
      pl: 'Możemy ustalić Twój przedział wiekowy na podstawie profilu i używać go do wyświetlania Ci reklam.',
      tr: 'Profilinizden yaş aralığınızı tahmin edebilir ve bunu size reklam göstermek için kullanabiliriz.',
      ar: 'قد نستنتج فئتك العمرية من ملفك الشخصي ونستخدمها لعرض الإعلانات لك.',
    },
    switches: [{
      key: 'allowAdsByAge',
      kind: 'labelledby',
      label: {
        en: 'Use my inferred age range to show me ads',
        de: 'Meine abgeleitete Altersgruppe verwenden, um mir Anzeigen zu zeigen',
        fr: 'Utiliser ma tranche d\u2019âge déduite pour me montrer des publicités',
        es: 'Usar mi rango de edad inferido para mostrarme anuncios',
        nl: 'Mijn afgeleide leeftijdscategorie gebruiken om mij advertenties te tonen',
        'pt-BR': 'Usar minha faixa etária inferida para me mostrar anúncios',
        it: 'Usa la mia fascia d\u2019età dedotta per mostrarmi annunci',
        ja: '推定された年齢層を使用して広告を表示する',
        pl: 'Używaj mojego wywnioskowanego przedziału wiekowego do wyświetlania mi reklam',
        tr: 'Bana reklam göstermek için tahmin edilen yaş aralığımı kullan',
        ar: 'استخدام فئتي العمرية المستنتجة لعرض الإعلانات لي',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/ads-by-gender',
    category: 'ads',
    title: {
      en: 'Gender',
      de: 'Geschlecht',
      fr: 'Genre',
      es: 'Género',
      nl: 'Gender',
      'pt-BR': 'Gênero',
      it: 'Genere',
      ja: '性別',
      pl: 'Płeć',
      tr: 'Cinsiyet',
      ar: 'النوع الاجتماعي',
    },
    description: {
      en: 'We may infer your gender from your profile and use it to show you ads.',
      de: 'Wir können Ihr Geschlecht aus Ihrem Profil ableiten und es verwenden, um Ihnen Anzeigen zu zeigen.',
      fr: 'Nous pouvons déduire votre genre de votre profil et l\u2019utiliser pour vous montrer des publicités.',
      es: 'Podemos inferir tu género a partir de tu perfil y usarlo para mostrarte anuncios.',
      nl: 'We kunnen uw gender afleiden uit uw profiel en dat gebruiken om u advertenties te tonen.',
      'pt-BR': 'Podemos inferir seu gênero a partir do seu perfil e usá-lo para mostrar anúncios.',
      it: 'Possiamo dedurre il tuo genere dal tuo profilo e usarlo per mostrarti annunci.',
      ja: 'プロフィールからお客様の性別を推定し、広告の表示に使用することがあります。',
      pl: 'Możemy ustalić Twoją płeć na podstawie profilu i używać jej do wyświetlania Ci reklam.',
      tr: 'Profilinizden cinsiyetinizi tahmin edebilir ve bunu size reklam göstermek için kullanabiliriz.',
      ar: 'قد نستنتج نوعك الاجتماعي من ملفك الشخصي ونستخدمه لعرض الإعلانات لك.',
    },
    switches: [{
      key: 'allowAdsByGender',
      kind: 'labelledby',
      label: {
        en: 'Use my inferred gender to show me ads',
        de: 'Mein abgeleitetes Geschlecht verwenden, um mir Anzeigen zu zeigen',
        fr: 'Utiliser mon genre déduit pour me montrer des publicités',
        es: 'Usar mi género inferido para mostrarme anuncios',
        nl: 'Mijn afgeleide gender gebruiken om mij advertenties te tonen',
        'pt-BR': 'Usar meu gênero inferido para me mostrar anúncios',
        it: 'Usa il mio genere dedotto per mostrarmi annunci',
        ja: '推定された性別を使用して広告を表示する',
        pl: 'Używaj mojej wywnioskowanej płci do wyświetlania mi reklam',
        tr: 'Bana reklam göstermek için tahmin edilen cinsiyetimi kullan',
        ar: 'استخدام نوعي الاجتماعي المستنتج لعرض الإعلانات لي',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/policy-and-academic-research',
    category: 'privacy',
    title: {
      en: 'Social, economic and workplace research',
      de: 'Sozial-, Wirtschafts- und Arbeitsplatzforschung',
      fr: 'Recherche sociale, économique et sur le monde du travail',
      es: 'Investigación social, económica y laboral',
      nl: 'Sociaal, economisch en arbeidsmarktonderzoek',
      'pt-BR': 'Pesquisa social, econômica e sobre o ambiente de trabalho',
      it: 'Ricerca sociale, economica e sul mondo del lavoro',
      ja: '社会・経済・職場に関する研究',
      pl: 'Badania społeczne, ekonomiczne i dotyczące miejsca pracy',
      tr: 'Sosyal, ekonomik ve iş yeri araştırmaları',
      ar: 'الأبحاث الاجتماعية والاقتصادية وأبحاث بيئة العمل',
    },
    description: {
      en: 'LinkedIn may share your data with trusted research partners for studies about society, the economy and the workplace.',
      de: 'LinkedIn kann Ihre Daten mit vertrauenswürdigen Forschungspartnern für Studien über Gesellschaft, Wirtschaft und Arbeitswelt teilen.',
      fr: 'LinkedIn peut partager vos données avec des partenaires de recherche de confiance pour des études sur la société, l\u2019économie et le monde du travail.',
      es: 'LinkedIn puede compartir tus datos con socios de investigación de confianza para estudios sobre la sociedad, la economía y el trabajo.',
      nl: 'LinkedIn kan uw gegevens delen met vertrouwde onderzoekspartners voor studies over de samenleving, de economie en de werkvloer.',
      'pt-BR': 'O LinkedIn pode compartilhar seus dados com parceiros de pesquisa confiáveis para estudos sobre a sociedade, a economia e o ambiente de trabalho.',
      it: 'LinkedIn può condividere i tuoi dati con partner di ricerca affidabili per studi sulla società, sull\u2019economia e sul mondo del lavoro.',
      ja: 'LinkedInは、社会、経済、職場に関する研究のために、信頼できる研究パートナーとお客様のデータを共有することがあります。',
      pl: 'LinkedIn może udostępniać Twoje dane zaufanym partnerom badawczym na potrzeby badań dotyczących społeczeństwa, gospodarki i miejsca pracy.',
      tr: 'LinkedIn, toplum, ekonomi ve iş yeri hakkındaki çalışmalar için verilerinizi güvenilir araştırma ortaklarıyla paylaşabilir.',
      ar: 'قد يشارك LinkedIn بياناتك مع شركاء بحث موثوقين لإجراء دراسات عن المجتمع والاقتصاد وبيئة العمل.',
    },
    switches: [{
      key: 'allowAnonymizedDataResearch',
      kind: 'labelledby',
      label: {
        en: 'Use data for research',
        de: 'Daten für Forschungszwecke verwenden',
        fr: 'Utiliser les données à des fins de recherche',
        es: 'Usar datos para investigación',
        nl: 'Gegevens gebruiken voor onderzoek',
        'pt-BR': 'Usar dados para pesquisa',
        it: 'Usa i dati per la ricerca',
        ja: 'データを研究に使用する',
        pl: 'Używaj danych do badań',
        tr: 'Verileri araştırma için kullan',
        ar: 'استخدام البيانات للأبحاث',
      },
    }],
  },
  {
    path: '/mypreferences/d/settings/linkedin-promotions',
    category: 'privacy',
    title: {
      en: 'Marketing promotions',
      de: 'Marketing-Werbeaktionen',
      fr: 'Promotions marketing',
      es: 'Promociones de marketing',
      nl: 'Marketingpromoties',
      'pt-BR': 'Promoções de marketing',
      it: 'Promozioni di marketing',
      ja: 'マーケティングプロモーション',
      pl: 'Promocje marketingowe',
      tr: 'Pazarlama tanıtımları',
      ar: 'العروض الترويجية التسويقية',
    },
    description: {
      en: 'LinkedIn may use your profile and activity data to personalize the ads it shows for its own products, and may send you tips by email.',
      de: 'LinkedIn kann Ihre Profil- und Aktivitätsdaten verwenden, um Anzeigen für eigene Produkte zu personalisieren, und Ihnen Tipps per E-Mail senden.',
      fr: 'LinkedIn peut utiliser les données de votre profil et de votre activité pour personnaliser les publicités de ses propres produits et vous envoyer des conseils par e-mail.',
      es: 'LinkedIn puede usar los datos de tu perfil y tu actividad para personalizar los anuncios de sus propios productos y enviarte consejos por correo electrónico.',
      nl: 'LinkedIn kan uw profiel- en activiteitsgegevens gebruiken om advertenties voor eigen producten te personaliseren en u tips per e-mail sturen.',
      'pt-BR': 'O LinkedIn pode usar os dados do seu perfil e da sua atividade para personalizar os anúncios dos próprios produtos e enviar dicas por e-mail.',
      it: 'LinkedIn può utilizzare i dati del tuo profilo e della tua attività per personalizzare gli annunci dei propri prodotti e inviarti consigli via email.',
      ja: 'LinkedInは、お客様のプロフィールとアクティビティのデータを使用して自社製品の広告をパーソナライズしたり、メールでヒントを送信したりすることがあります。',
      pl: 'LinkedIn może używać danych z Twojego profilu i aktywności do personalizowania reklam własnych produktów oraz wysyłać Ci wskazówki e-mailem.',
      tr: 'LinkedIn, kendi ürünleri için gösterdiği reklamları kişiselleştirmek amacıyla profil ve etkinlik verilerinizi kullanabilir ve size e-postayla ipuçları gönderebilir.',
      ar: 'قد يستخدم LinkedIn بيانات ملفك الشخصي ونشاطك لتخصيص الإعلانات التي يعرضها عن منتجاته، وقد يرسل إليك نصائح عبر البريد الإلكتروني.',
    },
    switches: [
      {
        key: 'allowProfileAndActivityDataForMarketingAds',
        kind: 'labelledby',
        label: {
          en: 'Use my profile and activity data to personalize LinkedIn marketing ads',
          de: 'Meine Profil- und Aktivitätsdaten zur Personalisierung von LinkedIn-Marketinganzeigen verwenden',
          fr: 'Utiliser les données de mon profil et de mon activité pour personnaliser les publicités marketing de LinkedIn',
          es: 'Usar los datos de mi perfil y mi actividad para personalizar los anuncios de marketing de LinkedIn',
          nl: 'Mijn profiel- en activiteitsgegevens gebruiken om marketingadvertenties van LinkedIn te personaliseren',
          'pt-BR': 'Usar os dados do meu perfil e da minha atividade para personalizar anúncios de marketing do LinkedIn',
          it: 'Usa i dati del mio profilo e della mia attività per personalizzare gli annunci di marketing di LinkedIn',
          ja: 'プロフィールとアクティビティのデータを使用してLinkedInのマーケティング広告をパーソナライズする',
          pl: 'Używaj danych z mojego profilu i aktywności do personalizowania reklam marketingowych LinkedIn',
          tr: 'LinkedIn pazarlama reklamlarını kişiselleştirmek için profil ve etkinlik verilerimi kullan',
          ar: 'استخدام بيانات ملفي الشخصي ونشاطي لتخصيص إعلانات LinkedIn التسويقية',
        },
      },
      {
        key: 'tipsForUsingLinkedinViaEmail',
        kind: 'labelledby',
        label: {
          en: 'Send me tips for using LinkedIn by email',
          de: 'Mir per E-Mail Tipps zur Nutzung von LinkedIn senden',
          fr: 'M\u2019envoyer des conseils d\u2019utilisation de LinkedIn par e-mail',
          es: 'Enviarme consejos para usar LinkedIn por correo electrónico',
          nl: 'Mij per e-mail tips sturen voor het gebruik van LinkedIn',
          'pt-BR': 'Enviar dicas de uso do LinkedIn por e-mail',
          it: 'Inviami consigli per usare LinkedIn via email',
          ja: 'LinkedInの使い方のヒントをメールで受け取る',
          pl: 'Wysyłaj mi e-mailem wskazówki dotyczące korzystania z LinkedIn',
          tr: "LinkedIn'i kullanmayla ilgili ipuçlarını bana e-postayla gönder",
          ar: 'إرسال نصائح لي حول استخدام LinkedIn عبر البريد الإلكتروني',
        },
      },
    ],
  },
  {
    path: '/mypreferences/d/member-cookies',
    category: 'privacy',
    title: {
      en: 'Cookie preferences',
      de: 'Cookie-Einstellungen',
      fr: 'Préférences en matière de cookies',
      es: 'Preferencias de cookies',
      nl: 'Cookievoorkeuren',
      'pt-BR': 'Preferências de cookies',
      it: 'Preferenze sui cookie',
      ja: 'Cookieの設定',
      pl: 'Preferencje dotyczące plików cookie',
      tr: 'Çerez tercihleri',
      ar: 'تفضيلات ملفات تعريف الارتباط',
    },
    description: {
      en: 'Essential cookies keep LinkedIn working. Non-essential cookies help us and our partners with advertising and analytics.',
      de: 'Notwendige Cookies sorgen dafür, dass LinkedIn funktioniert. Nicht notwendige Cookies helfen uns und unseren Partnern bei Werbung und Analysen.',
      fr: 'Les cookies essentiels permettent à LinkedIn de fonctionner. Les cookies non essentiels nous aident, nous et nos partenaires, pour la publicité et l\u2019analyse.',
      es: 'Las cookies esenciales hacen que LinkedIn funcione. Las cookies no esenciales nos ayudan, a nosotros y a nuestros socios, con la publicidad y el análisis.',
      nl: 'Essentiële cookies zorgen dat LinkedIn werkt. Niet-essentiële cookies helpen ons en onze partners bij advertenties en analyses.',
      'pt-BR': 'Os cookies essenciais mantêm o LinkedIn funcionando. Os cookies não essenciais ajudam a nós e aos nossos parceiros com publicidade e análises.',
      it: 'I cookie essenziali permettono a LinkedIn di funzionare. I cookie non essenziali aiutano noi e i nostri partner con la pubblicità e le analisi.',
      ja: '必須Cookieは、LinkedInの動作に必要です。必須ではないCookieは、当社とパートナーの広告や分析に役立ちます。',
      pl: 'Niezbędne pliki cookie zapewniają działanie LinkedIn. Inne niż niezbędne pliki cookie pomagają nam i naszym partnerom w reklamie i analityce.',
      tr: "Zorunlu çerezler LinkedIn'in çalışmasını sağlar. Zorunlu olmayan çerezler, reklam ve analiz konusunda bize ve iş ortaklarımıza yardımcı olur.",
      ar: 'تحافظ ملفات تعريف الارتباط الأساسية على عمل LinkedIn. وتساعدنا ملفات تعريف الارتباط غير الأساسية نحن وشركاءنا في الإعلانات والتحليلات.',
    },
    switches: [{
      key: 'nonEssentialCookieConsent',
      kind: 'id',
      label: {
        en: 'Accept non-essential cookies',
        de: 'Nicht notwendige Cookies akzeptieren',
        fr: 'Accepter les cookies non essentiels',
        es: 'Aceptar cookies no esenciales',
        nl: 'Niet-essentiële cookies accepteren',
        'pt-BR': 'Aceitar cookies não essenciais',
        it: 'Accetta i cookie non essenziali',
        ja: '必須ではないCookieを受け入れる',
        pl: 'Akceptuj pliki cookie inne niż niezbędne',
        tr: 'Zorunlu olmayan çerezleri kabul et',
        ar: 'قبول ملفات تعريف الارتباط غير الأساسية',
      },
    }],
  },
];

/** The six category pages. Their links to settings pages are rendered by script. */
export const CATEGORY_PAGES = [
  {
    path: '/mypreferences/d/categories/account',
    slug: 'account',
    title: { en: 'Account preferences', de: 'Kontoeinstellungen', fr: 'Préférences du compte', es: 'Preferencias de la cuenta', nl: 'Accountvoorkeuren', 'pt-BR': 'Preferências da conta', it: 'Preferenze dell\u2019account', ja: 'アカウント設定', pl: 'Preferencje konta', tr: 'Hesap tercihleri', ar: 'تفضيلات الحساب' },
    items: [
      { en: 'Profile information', de: 'Profilinformationen', fr: 'Informations du profil', es: 'Información del perfil', nl: 'Profielgegevens', 'pt-BR': 'Informações do perfil', it: 'Informazioni del profilo', ja: 'プロフィール情報', pl: 'Informacje w profilu', tr: 'Profil bilgileri', ar: 'معلومات الملف الشخصي' },
      { en: 'Display', de: 'Anzeige', fr: 'Affichage', es: 'Visualización', nl: 'Weergave', 'pt-BR': 'Exibição', it: 'Visualizzazione', ja: '表示', pl: 'Wyświetlanie', tr: 'Görünüm', ar: 'العرض' },
    ],
  },
  {
    path: '/mypreferences/d/categories/sign-in-and-security',
    slug: 'sign-in-and-security',
    title: { en: 'Sign in & security', de: 'Anmeldung und Sicherheit', fr: 'Connexion et sécurité', es: 'Inicio de sesión y seguridad', nl: 'Aanmelden en beveiliging', 'pt-BR': 'Login e segurança', it: 'Accesso e sicurezza', ja: 'ログインとセキュリティ', pl: 'Logowanie i bezpieczeństwo', tr: 'Oturum açma ve güvenlik', ar: 'تسجيل الدخول والأمان' },
    items: [
      { en: 'Email addresses', de: 'E-Mail-Adressen', fr: 'Adresses e-mail', es: 'Direcciones de correo electrónico', nl: 'E-mailadressen', 'pt-BR': 'Endereços de e-mail', it: 'Indirizzi email', ja: 'メールアドレス', pl: 'Adresy e-mail', tr: 'E-posta adresleri', ar: 'عناوين البريد الإلكتروني' },
      { en: 'Change password', de: 'Passwort ändern', fr: 'Changer le mot de passe', es: 'Cambiar contraseña', nl: 'Wachtwoord wijzigen', 'pt-BR': 'Alterar senha', it: 'Cambia password', ja: 'パスワードを変更', pl: 'Zmień hasło', tr: 'Şifreyi değiştir', ar: 'تغيير كلمة المرور' },
    ],
  },
  {
    path: '/mypreferences/d/categories/profile-visibility',
    slug: 'profile-visibility',
    title: { en: 'Visibility', de: 'Sichtbarkeit', fr: 'Visibilité', es: 'Visibilidad', nl: 'Zichtbaarheid', 'pt-BR': 'Visibilidade', it: 'Visibilità', ja: '公開範囲', pl: 'Widoczność', tr: 'Görünürlük', ar: 'إمكانية الظهور' },
    items: [
      { en: 'Profile viewing options', de: 'Optionen für Profilansichten', fr: 'Options d\u2019affichage du profil', es: 'Opciones de visualización del perfil', nl: 'Opties voor profielweergave', 'pt-BR': 'Opções de visualização do perfil', it: 'Opzioni di visualizzazione del profilo', ja: 'プロフィール閲覧オプション', pl: 'Opcje wyświetlania profilu', tr: 'Profil görüntüleme seçenekleri', ar: 'خيارات عرض الملف الشخصي' },
    ],
  },
  {
    path: '/mypreferences/d/categories/privacy',
    slug: 'privacy',
    title: { en: 'Data privacy', de: 'Datenschutz', fr: 'Confidentialité des données', es: 'Privacidad de datos', nl: 'Gegevensprivacy', 'pt-BR': 'Privacidade de dados', it: 'Privacy dei dati', ja: 'データプライバシー', pl: 'Prywatność danych', tr: 'Veri gizliliği', ar: 'خصوصية البيانات' },
    items: [],
  },
  {
    path: '/mypreferences/d/categories/ads',
    slug: 'ads',
    title: { en: 'Advertising data', de: 'Werbedaten', fr: 'Données publicitaires', es: 'Datos publicitarios', nl: 'Advertentiegegevens', 'pt-BR': 'Dados de publicidade', it: 'Dati pubblicitari', ja: '広告データ', pl: 'Dane reklamowe', tr: 'Reklam verileri', ar: 'بيانات الإعلانات' },
    items: [],
  },
  {
    path: '/mypreferences/d/categories/notifications',
    slug: 'notifications',
    title: { en: 'Notifications', de: 'Benachrichtigungen', fr: 'Notifications', es: 'Notificaciones', nl: 'Meldingen', 'pt-BR': 'Notificações', it: 'Notifiche', ja: '通知', pl: 'Powiadomienia', tr: 'Bildirimler', ar: 'الإشعارات' },
    items: [
      { en: 'Notifications on LinkedIn', de: 'Benachrichtigungen auf LinkedIn', fr: 'Notifications sur LinkedIn', es: 'Notificaciones en LinkedIn', nl: 'Meldingen op LinkedIn', 'pt-BR': 'Notificações no LinkedIn', it: 'Notifiche su LinkedIn', ja: 'LinkedInでの通知', pl: 'Powiadomienia na LinkedIn', tr: "LinkedIn'deki bildirimler", ar: 'الإشعارات على LinkedIn' },
    ],
    // Settings pages listed here in addition to those whose `category` is this one.
    alsoLinks: ['/mypreferences/d/settings/linkedin-promotions'],
  },
];

/** Non-settings pages (no content script runs there). */
export const OTHER_PAGES = [
  { path: '/feed/', title: { en: 'Feed', de: 'Feed', fr: 'Fil d\u2019actualité', es: 'Feed', nl: 'Feed', 'pt-BR': 'Feed', it: 'Feed', ja: 'フィード', pl: 'Aktualności', tr: 'Akış', ar: 'الموجز' }, requiresSignIn: true },
  { path: '/in/some-member/', title: { en: 'Some Member', de: 'Some Member', fr: 'Some Member', es: 'Some Member', nl: 'Some Member', 'pt-BR': 'Some Member', it: 'Some Member', ja: 'Some Member', pl: 'Some Member', tr: 'Some Member', ar: 'Some Member' }, requiresSignIn: false },
  { path: '/jobs/', title: { en: 'Jobs', de: 'Jobs', fr: 'Emplois', es: 'Empleos', nl: 'Vacatures', 'pt-BR': 'Vagas', it: 'Offerte di lavoro', ja: '求人', pl: 'Praca', tr: 'İş İlanları', ar: 'الوظائف' }, requiresSignIn: false },
];

/** Page chrome strings. */
export const UI_STRINGS = {
  settings: { en: 'Settings', de: 'Einstellungen', fr: 'Préférences', es: 'Ajustes', nl: 'Instellingen', 'pt-BR': 'Configurações', it: 'Impostazioni', ja: '設定', pl: 'Ustawienia', tr: 'Ayarlar', ar: 'الإعدادات' },
  back: { en: 'Back', de: 'Zurück', fr: 'Retour', es: 'Atrás', nl: 'Terug', 'pt-BR': 'Voltar', it: 'Indietro', ja: '戻る', pl: 'Wstecz', tr: 'Geri', ar: 'رجوع' },
  saveError: {
    en: 'Something went wrong. Your setting was not saved. Please try again.',
    de: 'Etwas ist schiefgelaufen. Ihre Einstellung wurde nicht gespeichert. Bitte versuchen Sie es erneut.',
    fr: 'Un problème est survenu. Votre paramètre n\u2019a pas été enregistré. Veuillez réessayer.',
    es: 'Se ha producido un error. No se ha guardado tu ajuste. Inténtalo de nuevo.',
    nl: 'Er is iets misgegaan. Uw instelling is niet opgeslagen. Probeer het opnieuw.',
    'pt-BR': 'Algo deu errado. Sua configuração não foi salva. Tente novamente.',
    it: 'Si è verificato un errore. L\u2019impostazione non è stata salvata. Riprova.',
    ja: '問題が発生しました。設定は保存されませんでした。もう一度お試しください。',
    pl: 'Coś poszło nie tak. Ustawienie nie zostało zapisane. Spróbuj ponownie.',
    tr: 'Bir sorun oluştu. Ayarınız kaydedilmedi. Lütfen tekrar deneyin.',
    ar: 'حدث خطأ ما. لم يتم حفظ الإعداد. يُرجى المحاولة مرة أخرى.',
  },
  saved: { en: 'Setting updated', de: 'Einstellung aktualisiert', fr: 'Paramètre mis à jour', es: 'Ajuste actualizado', nl: 'Instelling bijgewerkt', 'pt-BR': 'Configuração atualizada', it: 'Impostazione aggiornata', ja: '設定が更新されました', pl: 'Zaktualizowano ustawienie', tr: 'Ayar güncellendi', ar: 'تم تحديث الإعداد' },
  dismiss: { en: 'Dismiss', de: 'Schließen', fr: 'Ignorer', es: 'Descartar', nl: 'Sluiten', 'pt-BR': 'Descartar', it: 'Ignora', ja: '閉じる', pl: 'Odrzuć', tr: 'Kapat', ar: 'تجاهل' },
  notFoundTitle: { en: 'Page not found', de: 'Seite nicht gefunden', fr: 'Page introuvable', es: 'Página no encontrada', nl: 'Pagina niet gevonden', 'pt-BR': 'Página não encontrada', it: 'Pagina non trovata', ja: 'ページが見つかりません', pl: 'Nie znaleziono strony', tr: 'Sayfa bulunamadı', ar: 'الصفحة غير موجودة' },
  notFoundBody: {
    en: 'Uh oh, we can\u2019t seem to find the page you\u2019re looking for. Try going back to the previous page or see our Help Center for more information.',
    de: 'Wir können die gesuchte Seite leider nicht finden. Kehren Sie zur vorherigen Seite zurück oder besuchen Sie unseren Kundenservice.',
    fr: 'Oups, nous ne trouvons pas la page que vous recherchez. Revenez à la page précédente ou consultez notre Assistance clientèle.',
    es: 'Vaya, no encontramos la página que buscas. Vuelve a la página anterior o consulta nuestro Servicio de ayuda.',
    nl: 'Helaas kunnen we de pagina die u zoekt niet vinden. Ga terug naar de vorige pagina of bezoek ons Helpcentrum.',
    'pt-BR': 'Ops, não encontramos a página que você está procurando. Volte para a página anterior ou acesse nossa Central de Ajuda.',
    it: 'Spiacenti, non riusciamo a trovare la pagina che cerchi. Torna alla pagina precedente o visita il nostro Centro assistenza.',
    ja: '申し訳ありません。お探しのページが見つかりません。前のページに戻るか、ヘルプセンターで詳細をご確認ください。',
    pl: 'Ups, nie możemy znaleźć strony, której szukasz. Wróć do poprzedniej strony lub odwiedź nasze Centrum pomocy, aby uzyskać więcej informacji.',
    tr: 'Aradığınız sayfayı bulamıyoruz. Önceki sayfaya geri dönmeyi deneyin veya daha fazla bilgi için Yardım Merkezimizi ziyaret edin.',
    ar: 'عذرًا، يبدو أننا لا نستطيع العثور على الصفحة التي تبحث عنها. حاول الرجوع إلى الصفحة السابقة أو راجع مركز المساعدة لمزيد من المعلومات.',
  },
  signIn: { en: 'Sign in', de: 'Einloggen', fr: 'S\u2019identifier', es: 'Inicia sesión', nl: 'Aanmelden', 'pt-BR': 'Entrar', it: 'Accedi', ja: 'ログイン', pl: 'Zaloguj się', tr: 'Oturum açın', ar: 'تسجيل الدخول' },
  emailOrPhone: { en: 'Email or phone', de: 'E-Mail oder Telefon', fr: 'E-mail ou téléphone', es: 'Email o teléfono', nl: 'E-mailadres of telefoonnummer', 'pt-BR': 'E-mail ou telefone', it: 'Email o telefono', ja: 'メールまたは電話番号', pl: 'Adres e-mail lub telefon', tr: 'E-posta veya telefon', ar: 'البريد الإلكتروني أو الهاتف' },
  password: { en: 'Password', de: 'Passwort', fr: 'Mot de passe', es: 'Contraseña', nl: 'Wachtwoord', 'pt-BR': 'Senha', it: 'Password', ja: 'パスワード', pl: 'Hasło', tr: 'Şifre', ar: 'كلمة المرور' },
  loading: { en: 'Loading…', de: 'Wird geladen…', fr: 'Chargement…', es: 'Cargando…', nl: 'Laden…', 'pt-BR': 'Carregando…', it: 'Caricamento…', ja: '読み込み中…', pl: 'Wczytywanie…', tr: 'Yükleniyor…', ar: 'جارٍ التحميل…' },
};

/** Every settings path (preferred and alternate) → its page. */
export function settingsPageByPath() {
  const map = new Map();
  for (const page of SETTINGS_PAGES) {
    for (const path of [page.path, ...(page.aliases ?? [])]) map.set(path, page);
  }
  return map;
}

/** Every switch key → {page, sw}. */
export function switchesByKey() {
  const map = new Map();
  for (const page of SETTINGS_PAGES) {
    for (const sw of page.switches) map.set(sw.key, { page, sw });
  }
  return map;
}

/** Every switch key, in catalog order. */
export const ALL_KEYS = SETTINGS_PAGES.flatMap((p) => p.switches.map((s) => s.key));

/** The settings pages a category page links to, as paths. */
export function categoryLinks(category) {
  const own = SETTINGS_PAGES.filter((p) => p.category === category.slug).map((p) => p.path);
  return [...own, ...(category.alsoLinks ?? [])];
}
