//! The built-in storefront data, derived from the classic seed (`seed::default_data`).

use serde_json::json;

use crate::ids::{Rng, P1_PENCIL, P3_SKETCH, P6_NOTEBOOK, SELLER_A, SELLER_B};
use crate::model::Data;
use crate::model_storefront::*;

// ---- the built-in data ------------------------------------------------------------------------

/// The built-in storefront data, derived from the classic seed `d`.
pub fn seed(d: &Data) -> StorefrontData {
    StorefrontData {
        profiles: seed_profiles(),
        pages: seed_pages(),
        categories: seed_categories(),
        help_articles: seed_help_articles(),
        discover: seed_discover(),
        reviews: seed_reviews(d),
        upsells: seed_upsells(),
        utm_links: seed_utm_links(),
        emails: seed_emails(),
        workflows: seed_workflows(),
    }
}

fn section(header: Option<&str>, kind: &str) -> ProfileSection {
    ProfileSection {
        header: header.map(String::from),
        kind: kind.into(),
    }
}

fn seed_profiles() -> Vec<Profile> {
    vec![
        Profile {
            seller_id: SELLER_A.into(),
            email_confirmed: true,
            features: vec![FEATURE_CUSTOM_HTML.into()],
            theme: Theme {
                background_color: "#fdf6e3".into(),
                highlight_color: "#ff90e8".into(),
                font: "ABC Favorit".into(),
            },
            custom_html: Some(
                "<main class=\"landing\">\n  <h1>Pencils &amp; pixels</h1>\n  <p>Icons, brushes and a drawing app by John Smith.</p>\n  <a href=\"https://sailorjohn.gumroad.com/l/pencil\">Get the pencil icon</a>\n</main>"
                    .into(),
            ),
            tabs: vec![
                ProfileTab {
                    name: "Shop".into(),
                    sections: vec![
                        section(Some("Featured"), "SellerProfileProductsSection"),
                        section(None, "SellerProfileProductsSection"),
                    ],
                },
                ProfileTab {
                    name: "About".into(),
                    sections: vec![
                        section(Some("Hi, I'm John"), "SellerProfileRichTextSection"),
                        section(Some("Latest posts"), "SellerProfilePostsSection"),
                    ],
                },
            ],
            refund_policy: AccountRefundPolicy {
                in_effect: true,
                max_refund_period_in_days: 30,
                fine_print: Some("Refunds within 30 days, no questions asked.".into()),
            },
            followers_count: 12,
        },
        Profile {
            seller_id: SELLER_B.into(),
            email_confirmed: true,
            features: vec![],
            theme: Theme {
                background_color: "#0b0b0b".into(),
                highlight_color: "#90a8ed".into(),
                font: "Inter".into(),
            },
            custom_html: None,
            tabs: vec![],
            refund_policy: AccountRefundPolicy {
                in_effect: false,
                max_refund_period_in_days: 14,
                fine_print: None,
            },
            followers_count: 3,
        },
    ]
}

fn seed_pages() -> Vec<Page> {
    let page =
        |slug: &str, title: &str, content: Option<&str>, html: Option<&str>, at: &str| Page {
            seller_id: SELLER_A.into(),
            slug: slug.into(),
            title: title.into(),
            content: content.map(String::from),
            custom_html: html.map(String::from),
            created_at: at.into(),
            updated_at: at.into(),
        };
    vec![
        page(
            "about",
            "About me",
            Some("<p>I draw pencils for a living.</p>"),
            None,
            "2025-03-01T10:00:00Z",
        ),
        page(
            "faq",
            "FAQ",
            Some("<h2>Can I use the icons commercially?</h2><p>Yes.</p>"),
            None,
            "2025-04-12T10:00:00Z",
        ),
        page(
            "launch",
            "Sketch Pro launch",
            None,
            Some("<section><h1>Sketch Pro 2</h1><a data-gumroad-action=\"buy\" href=\"https://sailorjohn.gumroad.com/l/skpro\">Buy</a></section>"),
            "2025-09-01T10:00:00Z",
        ),
    ]
}

/// id, path, label (the slug is the last path element, the parent the path without it).
const TAXONOMY: &[(u64, &str, &str)] = &[
    (1, "3d", "3D"),
    (2, "3d/3d-modeling", "3D Modeling"),
    (3, "3d/vrchat", "VRChat"),
    (10, "audio", "Audio"),
    (11, "audio/sound-effects", "Sound Effects"),
    (20, "business-and-money", "Business & Money"),
    (
        21,
        "business-and-money/marketing-and-sales",
        "Marketing & Sales",
    ),
    (30, "design", "Design"),
    (31, "design/icons", "Icons"),
    (32, "design/fonts", "Fonts"),
    (33, "design/ui-and-web", "UI and Web"),
    (34, "design/ui-and-web/figma", "Figma"),
    (35, "design/ui-and-web/web-templates", "Web Templates"),
    (36, "design/textures-and-patterns", "Textures & Patterns"),
    (40, "drawing-and-painting", "Drawing & Painting"),
    (
        41,
        "drawing-and-painting/digital-illustration",
        "Digital Illustration",
    ),
    (
        42,
        "drawing-and-painting/digital-illustration/brushes",
        "Brushes",
    ),
    (
        43,
        "drawing-and-painting/artwork-and-commissions",
        "Artwork & Commissions",
    ),
    (50, "education", "Education"),
    (51, "education/courses", "Courses"),
    (60, "fitness-and-health", "Fitness & Health"),
    (70, "music-and-sound-design", "Music & Sound Design"),
    (
        71,
        "music-and-sound-design/samples-and-loops",
        "Samples & Loops",
    ),
    (80, "photography", "Photography"),
    (81, "photography/presets", "Presets"),
    (90, "software-development", "Software Development"),
    (91, "software-development/programming", "Programming"),
    (
        92,
        "software-development/software-and-plugins",
        "Software & Plugins",
    ),
    (
        93,
        "software-development/web-development",
        "Web Development",
    ),
    (100, "writing-and-publishing", "Writing & Publishing"),
    (101, "writing-and-publishing/ebooks", "Ebooks"),
    (110, "other", "Other"),
];

fn seed_categories() -> Vec<Category> {
    TAXONOMY
        .iter()
        .map(|(id, path, label)| {
            let (parent, name) = match path.rsplit_once('/') {
                Some((parent, name)) => (Some(parent), name),
                None => (None, *path),
            };
            Category {
                id: *id,
                name: name.into(),
                label: (*label).into(),
                path: (*path).into(),
                parent_id: parent.and_then(|p| {
                    TAXONOMY
                        .iter()
                        .find(|(_, q, _)| *q == p)
                        .map(|(id, _, _)| *id)
                }),
            }
        })
        .collect()
}

fn seed_help_articles() -> Vec<HelpArticle> {
    let a = |slug: &str, title: &str, description: &str, content: &str| HelpArticle {
        slug: slug.into(),
        title: title.into(),
        description: description.into(),
        content: content.into(),
    };
    vec![
        a(
            "76-license-keys",
            "License keys",
            "Generate a unique license key for every sale and verify it from your software.",
            "Gumroad can generate a unique license key for each purchase of your product. Turn on license keys in the product editor. Verify a key with POST /v2/licenses/verify, sending product_id and license_key. A refunded, chargebacked or disputed purchase still verifies, so check those fields. You can disable a key or decrement its uses from the API.",
        ),
        a(
            "149-adding-a-product",
            "Adding a product",
            "Create a product, set its price and publish it.",
            "Click New product, pick a product type, give it a name and a price, then save. A new product is a draft until you publish it. Add files and content on the Content tab, covers and a thumbnail on the Product tab.",
        ),
        a(
            "124-your-gumroad-profile-page",
            "Your Gumroad profile page",
            "Customize the tabs, sections and design of your profile.",
            "Your profile lives at your username's subdomain. Add tabs and sections in Settings > Profile, and change the background color, highlight color and font under Design. Sellers with custom HTML pages can replace the whole profile with their own page.",
        ),
        a(
            "169-how-to-send-an-email",
            "Sending emails to your audience",
            "Send an email to your customers, followers or the buyers of one product.",
            "Go to Emails, click New email, choose the audience and write your message. You can publish it right away, schedule it for later or keep it as a draft. Published emails can also be shown on your profile.",
        ),
        a(
            "131-using-workflows-to-send-automated-updates",
            "Workflows",
            "Send a sequence of emails automatically after a purchase or a follow.",
            "A workflow sends its emails after a trigger, each after a delay in hours, days, weeks or months. Abandoned cart workflows remind buyers who left items in their cart; their delay is fixed.",
        ),
        a(
            "231-utm-links",
            "Tracking sales with UTM links",
            "Create short links with UTM parameters and see which campaigns sell.",
            "Create a UTM link for your profile, subscribe page, a product or a post. Share its short link; Gumroad counts clicks and attributes sales to the link's source, medium and campaign. Disable a link to stop tracking without breaking it.",
        ),
        a(
            "331-upsells-and-cross-sells",
            "Upsells and cross-sells",
            "Offer a better version or another product at checkout.",
            "An upsell offers buyers a different version of the product in their cart; a cross-sell offers another product. Either can carry a discount. You can pause an offer at any time.",
        ),
        a(
            "47-refund-policy",
            "Refund policies",
            "Set how long buyers can ask for a refund.",
            "Choose a refund period of 7, 14, 30 or 183 days, or no refunds for physical products, and add fine print. An account-level policy applies to every product; otherwise each product can have its own policy.",
        ),
    ]
}

/// name, cents, currency, taxonomy id, `creator/permalink`, revenue, tags, recurrence.
type Listing = (
    &'static str,
    u64,
    &'static str,
    u64,
    &'static str,
    u64,
    &'static [&'static str],
    Option<&'static str>,
);

fn seed_discover() -> Vec<DiscoverListing> {
    let rows: &[Listing] = &[
        (
            "Figma UI Kit Pro",
            4900,
            "usd",
            34,
            "uikits/figkit",
            8_200_000,
            &["figma", "ui kit"],
            None,
        ),
        (
            "Dashboard Components for Figma",
            2900,
            "usd",
            34,
            "pixelcraft/dash",
            3_100_000,
            &["figma", "dashboard"],
            None,
        ),
        (
            "Wireframe Kit",
            1900,
            "usd",
            34,
            "lofi/wire",
            950_000,
            &["figma", "wireframe"],
            None,
        ),
        (
            "Mobile App Screens",
            3900,
            "usd",
            34,
            "appscreens/mobile",
            2_400_000,
            &["figma", "mobile", "ui kit"],
            None,
        ),
        (
            "Free Figma Icons",
            0,
            "usd",
            34,
            "freebies/icons",
            0,
            &["figma", "icons"],
            None,
        ),
        (
            "Figma Design System Starter",
            9900,
            "usd",
            34,
            "systems/starter",
            5_600_000,
            &["figma", "design system"],
            None,
        ),
        (
            "Landing Page Templates",
            2400,
            "usd",
            35,
            "webtpl/landing",
            1_200_000,
            &["templates", "landing page"],
            None,
        ),
        (
            "Notion Portfolio Template",
            1200,
            "usd",
            35,
            "notionist/portfolio",
            400_000,
            &["notion", "templates"],
            None,
        ),
        (
            "Line Icon Set (2,000 icons)",
            2500,
            "usd",
            31,
            "iconic/line",
            1_800_000,
            &["icons", "svg"],
            None,
        ),
        (
            "Pencil Icons",
            500,
            "usd",
            31,
            "sailorjohn/pencil",
            245_000,
            &["icons", "pencil"],
            None,
        ),
        (
            "Grotesk Display Font",
            3500,
            "usd",
            32,
            "typefoundry/grotesk",
            2_050_000,
            &["fonts", "display"],
            None,
        ),
        (
            "Paper Textures Vol. 2",
            1500,
            "usd",
            36,
            "texturelab/paper2",
            600_000,
            &["textures", "paper"],
            None,
        ),
        (
            "Procreate Ink Brushes",
            1800,
            "usd",
            42,
            "inkhouse/brushes",
            2_900_000,
            &["procreate", "brushes"],
            None,
        ),
        (
            "Watercolor Brush Pack",
            1400,
            "usd",
            42,
            "wetpaint/watercolor",
            1_100_000,
            &["procreate", "brushes", "watercolor"],
            None,
        ),
        (
            "Gouache Brushes",
            1200,
            "eur",
            42,
            "atelier/gouache",
            700_000,
            &["procreate", "brushes"],
            None,
        ),
        (
            "Portrait Commission",
            15000,
            "usd",
            43,
            "artbyrae/portrait",
            3_000_000,
            &["commission", "portrait"],
            None,
        ),
        (
            "Character Design Course",
            7900,
            "usd",
            51,
            "drawschool/characters",
            6_400_000,
            &["course", "drawing"],
            None,
        ),
        (
            "Rust for Web Developers",
            4900,
            "usd",
            91,
            "rustacean/web",
            4_100_000,
            &["rust", "course", "programming"],
            None,
        ),
        (
            "Blender Low-Poly Pack",
            2200,
            "usd",
            2,
            "polymesh/lowpoly",
            1_300_000,
            &["blender", "3d models"],
            None,
        ),
        (
            "VRChat Avatar Base",
            3000,
            "usd",
            3,
            "vrbase/avatar",
            2_200_000,
            &["vrchat", "avatar"],
            None,
        ),
        (
            "Lo-fi Drum Samples",
            1500,
            "usd",
            71,
            "beatlab/lofi",
            900_000,
            &["samples", "drums"],
            None,
        ),
        (
            "Film Presets for Lightroom",
            2000,
            "usd",
            81,
            "analogfeel/film",
            1_700_000,
            &["lightroom", "presets"],
            None,
        ),
        (
            "Moody Presets",
            1800,
            "eur",
            81,
            "nordlicht/moody",
            800_000,
            &["lightroom", "presets"],
            None,
        ),
        (
            "Indie SaaS Playbook",
            2900,
            "usd",
            21,
            "bootstrapped/saas",
            2_600_000,
            &["marketing", "saas", "ebook"],
            None,
        ),
        (
            "Writing Club",
            500,
            "usd",
            101,
            "inkwell/club",
            1_000_000,
            &["writing", "membership"],
            Some("monthly"),
        ),
        (
            "Editor Plugin for Sketch Apps",
            900,
            "usd",
            92,
            "sailorjohn/inkwl",
            380_000,
            &["plugin", "drawing"],
            Some("monthly"),
        ),
        (
            "Mindful Mornings",
            1900,
            "gbp",
            60,
            "calmco/mornings",
            500_000,
            &["meditation", "course"],
            None,
        ),
    ];
    rows.iter()
        .map(
            |(name, cents, cur, tax, path, revenue, tags, rec)| DiscoverListing {
                name: (*name).into(),
                price_cents: *cents,
                currency: (*cur).into(),
                taxonomy_id: *tax,
                url: {
                    let (user, perm) = path.split_once('/').unwrap_or((path, path));
                    format!("https://{user}.gumroad.com/l/{perm}")
                },
                revenue_cents: *revenue,
                tags: tags.iter().map(|t| t.to_string()).collect(),
                recurrence: rec.map(String::from),
            },
        )
        .collect()
}

fn seed_reviews(d: &Data) -> Vec<Review> {
    let fixed = |id: &str,
                 rating: u8,
                 message: Option<&str>,
                 at: &str,
                 purchase: Option<&str>,
                 name: Option<&str>| Review {
        id: id.into(),
        product_id: P1_PENCIL.into(),
        rating,
        message: message.map(String::from),
        created_at: at.into(),
        purchase_id: purchase.map(String::from),
        rater_name: name.map(String::from),
        response: None,
        has_approved_video: false,
        deleted: false,
    };
    let mut reviews = vec![
        fixed(
            "UmV2aWV3LVBlbmNpbC0wMQ==",
            5,
            Some("Crisp at every size. Exactly what I needed."),
            "2021-01-08T12:00:00Z",
            Some("FO8TXN-dvxYabdavG97Y-Q=="),
            Some("Calvin Example"),
        ),
        fixed(
            "UmV2aWV3LVBlbmNpbC0wMg==",
            4,
            Some("Nice icon, I wish it came in more colours."),
            "2021-02-20T09:30:00Z",
            None,
            None,
        ),
        fixed(
            "UmV2aWV3LVBlbmNpbC0wMw==",
            3,
            Some("Good, but the PSD has a lot of layers."),
            "2021-03-05T18:15:00Z",
            Some("Xt6nR2Lk0pQ9wEr7YuIoPA=="),
            Some("Jordan"),
        ),
        fixed(
            "UmV2aWV3LVBlbmNpbC0wNA==",
            5,
            None,
            "2021-04-01T08:00:00Z",
            None,
            Some("Video Reviewer"),
        ),
        // Rating only: not shown on the product page, so not listed.
        fixed(REVIEW_HIDDEN, 2, None, "2021-04-15T08:00:00Z", None, None),
    ];
    if let Some(r) = reviews.get_mut(2) {
        r.response = Some(ReviewResponse {
            message: "Thanks! A flattened version is in the next update.".into(),
            created_at: "2021-03-06T10:00:00Z".into(),
        });
    }
    if let Some(r) = reviews.get_mut(3) {
        r.has_approved_video = true;
    }
    // Sketch Pro: more than one page (100 per page) of reviews.
    let sketch_sales: Vec<_> = d
        .sales
        .iter()
        .filter(|s| s.product_id == P3_SKETCH)
        .collect();
    let mut rng = Rng::new(0x5EED_2E71_E005_0001);
    const WORDS: [&str; 6] = [
        "Fast and stable.",
        "The pressure curves are great.",
        "Worth every cent.",
        "Layers could be faster.",
        "My daily driver now.",
        "Support answered in an hour.",
    ];
    for n in 0..104u64 {
        let day = n % 28 + 1;
        let month = (n / 28) % 12 + 1;
        let year = 2024 + n / (28 * 12);
        let sale = sketch_sales.get(n as usize % sketch_sales.len().max(1));
        reviews.push(Review {
            id: rng.external_id(),
            product_id: P3_SKETCH.into(),
            rating: (3 + rng.below(3)) as u8,
            message: Some(WORDS[(n % WORDS.len() as u64) as usize].into()),
            created_at: format!("{year}-{month:02}-{day:02}T{:02}:00:00Z", n % 24),
            purchase_id: sale.map(|s| s.id.clone()),
            rater_name: sale.and_then(|s| s.full_name.clone()),
            response: None,
            has_approved_video: false,
            deleted: false,
        });
    }
    reviews
}

fn seed_upsells() -> Vec<Upsell> {
    vec![
        Upsell {
            id: UPSELL_PENCIL.into(),
            seller_id: SELLER_A.into(),
            name: Some("Red pencil upgrade".into()),
            cross_sell: false,
            replace_selected_products: false,
            universal: false,
            text: Some("Get the red pencil instead".into()),
            description: Some("The red version has a hand-drawn shine.".into()),
            paused: false,
            product_id: P1_PENCIL.into(),
            variant_id: None,
            discount: Some(UpsellDiscount {
                amount_cents: Some(50),
                amount_percentage: None,
            }),
            selected_product_ids: vec![],
            upsell_variants: vec![UpsellVariant {
                id: "VXBzVmFyLVBlbmNpbC0wMQ==".into(),
                selected_variant_id: VARIANT_BLUE.into(),
                offered_variant_id: VARIANT_RED.into(),
            }],
            deleted: false,
            created_at: "2025-02-01T10:00:00Z".into(),
        },
        Upsell {
            id: CROSS_SELL_SKETCH.into(),
            seller_id: SELLER_A.into(),
            name: Some("Sketch Pro with the icon".into()),
            cross_sell: true,
            replace_selected_products: false,
            universal: false,
            text: Some("Add Sketch Pro".into()),
            description: Some("Draw your own icons.".into()),
            paused: false,
            product_id: P3_SKETCH.into(),
            variant_id: None,
            discount: Some(UpsellDiscount {
                amount_cents: None,
                amount_percentage: Some(20),
            }),
            selected_product_ids: vec![P1_PENCIL.into()],
            upsell_variants: vec![],
            deleted: false,
            created_at: "2025-03-01T10:00:00Z".into(),
        },
    ]
}

#[allow(clippy::too_many_arguments)]
fn utm(
    id: &str,
    seller: &str,
    title: &str,
    permalink: &str,
    kind: &str,
    target: Option<&str>,
    source: &str,
    medium: &str,
    campaign: &str,
    at: &str,
    clicks: (u64, u64),
) -> UtmLink {
    UtmLink {
        id: id.into(),
        seller_id: seller.into(),
        title: title.into(),
        permalink: permalink.into(),
        target_resource_type: kind.into(),
        target_resource_id: target.map(String::from),
        utm_source: source.into(),
        utm_medium: medium.into(),
        utm_campaign: campaign.into(),
        utm_term: None,
        utm_content: None,
        disabled_at: None,
        total_clicks: clicks.0,
        unique_clicks: clicks.1,
        deleted: false,
        created_at: at.into(),
        updated_at: at.into(),
    }
}

fn seed_utm_links() -> Vec<UtmLink> {
    let mut links = vec![
        utm(
            UTM_PROFILE,
            SELLER_A,
            "Profile from Twitter",
            "tw4prof1",
            "profile_page",
            None,
            "twitter",
            "social",
            "spring-launch",
            "2025-03-10T10:00:00Z",
            (120, 87),
        ),
        utm(
            UTM_PENCIL,
            SELLER_A,
            "Pencil in the newsletter",
            "nl5penc2",
            "product_page",
            Some(P1_PENCIL),
            "newsletter",
            "email",
            "pencil-promo",
            "2025-04-02T10:00:00Z",
            (64, 51),
        ),
        utm(
            UTM_POST,
            SELLER_A,
            "Launch post on Reddit",
            "rd6post3",
            "post_page",
            Some(EMAILS_JOHN[0]),
            "reddit",
            "social",
            "club-launch",
            "2025-05-20T10:00:00Z",
            (33, 30),
        ),
        utm(
            UTM_DISABLED,
            SELLER_A,
            "Old subscribe link",
            "ol7subs4",
            "subscribe_page",
            None,
            "blog",
            "referral",
            "2024-recap",
            "2025-01-05T10:00:00Z",
            (9, 9),
        ),
        utm(
            UTM_ADA,
            SELLER_B,
            "Notebook on Mastodon",
            "md8note5",
            "product_page",
            Some(P6_NOTEBOOK),
            "mastodon",
            "social",
            "notebook",
            "2025-06-01T10:00:00Z",
            (5, 4),
        ),
    ];
    if let Some(l) = links.get_mut(2) {
        l.utm_content = Some("top-comment".into());
    }
    if let Some(l) = links.get_mut(3) {
        l.disabled_at = Some("2025-02-01T10:00:00Z".into());
    }
    links
}

fn seed_emails() -> Vec<Email> {
    // (subject, audience, product, created, state): state p = published (blasted),
    // o = published on the profile only (not blasted), s = scheduled, d = draft.
    let rows: [(&str, &str, Option<&str>, &str, char); 13] = [
        (
            "Welcome to Pencil Club",
            "audience",
            None,
            "2025-01-10T09:00:00Z",
            'p',
        ),
        (
            "New colours for Pencil Icon PSD",
            "product",
            Some(P1_PENCIL),
            "2025-02-14T09:00:00Z",
            'p',
        ),
        (
            "Thanks for following",
            "follower",
            None,
            "2025-03-20T09:00:00Z",
            'p',
        ),
        (
            "A gift for customers",
            "seller",
            None,
            "2025-05-02T09:00:00Z",
            'p',
        ),
        (
            "Studio notes",
            "audience",
            None,
            "2025-06-18T09:00:00Z",
            'o',
        ),
        ("Summer sale", "audience", None, "2025-08-01T09:00:00Z", 'p'),
        (
            "Sketch Pro 2.1 is out",
            "product",
            Some(P3_SKETCH),
            "2025-09-12T09:00:00Z",
            'p',
        ),
        (
            "Autumn brushes",
            "audience",
            None,
            "2025-10-05T09:00:00Z",
            'p',
        ),
        (
            "Black Friday",
            "audience",
            None,
            "2025-11-20T09:00:00Z",
            's',
        ),
        (
            "Sketch Pro 3 beta",
            "product",
            Some(P3_SKETCH),
            "2026-01-08T09:00:00Z",
            's',
        ),
        (
            "Draft: year in review",
            "audience",
            None,
            "2026-02-03T09:00:00Z",
            'd',
        ),
        (
            "Draft: customer survey",
            "seller",
            None,
            "2026-03-11T09:00:00Z",
            'd',
        ),
        (
            "Draft: pencil tips",
            "product",
            Some(P1_PENCIL),
            "2026-04-22T09:00:00Z",
            'd',
        ),
    ];
    let mut out: Vec<Email> = rows
        .iter()
        .zip(EMAILS_JOHN)
        .enumerate()
        .map(|(i, ((subject, audience, product, at, state), id))| {
            let published = matches!(state, 'p' | 'o');
            Email {
                id: id.into(),
                seller_id: SELLER_A.into(),
                subject: Some((*subject).into()),
                message: format!("<p>{subject}.</p>"),
                audience_type: (*audience).into(),
                product_id: product.map(String::from),
                published_at: published.then(|| at.to_string()),
                scheduled_at: (*state == 's').then(|| format!("2099-0{}-01T09:00:00Z", i % 9 + 1)),
                blasted: *state == 'p',
                send_emails: *state != 'o',
                shown_on_profile: matches!(state, 'o' | 'p') && *audience == "audience",
                recipients_count: (*state == 'p').then_some(10 + i as u64),
                slug: crate::inflect::parameterize(subject),
                deleted: false,
                created_at: (*at).into(),
                updated_at: (*at).into(),
            }
        })
        .collect();
    out.push(Email {
        id: EMAIL_ADA.into(),
        seller_id: SELLER_B.into(),
        subject: Some("Notebook pages added".into()),
        message: "<p>Ten new pages.</p>".into(),
        audience_type: "audience".into(),
        product_id: None,
        published_at: Some("2025-07-01T09:00:00Z".into()),
        scheduled_at: None,
        blasted: true,
        send_emails: true,
        shown_on_profile: true,
        recipients_count: Some(4),
        slug: "notebook-pages-added".into(),
        deleted: false,
        created_at: "2025-07-01T09:00:00Z".into(),
        updated_at: "2025-07-01T09:00:00Z".into(),
    });
    out
}

fn wf_email(
    id: &str,
    subject: &str,
    amount: u64,
    unit: &str,
    published: Option<&str>,
    at: &str,
    stats: (u64, u64, u64),
) -> WorkflowEmail {
    WorkflowEmail {
        id: id.into(),
        subject: subject.into(),
        message: format!("<p>{subject}</p>"),
        delay_amount: amount,
        delay_unit: unit.into(),
        published_at: published.map(String::from),
        send_emails: true,
        sent_count: stats.0,
        open_count: stats.1,
        click_count: stats.2,
        deleted: false,
        created_at: at.into(),
        updated_at: at.into(),
    }
}

fn seed_workflows() -> Vec<Workflow> {
    let published = Some("2025-01-20T09:00:00Z");
    vec![
        Workflow {
            id: WF_WELCOME.into(),
            seller_id: SELLER_A.into(),
            name: "Welcome series".into(),
            workflow_type: "seller".into(),
            trigger: None,
            product_id: None,
            variant_id: None,
            published_at: published.map(String::from),
            first_published_at: published.map(String::from),
            send_to_past_customers: false,
            filters: json!({"bought_products": [], "not_bought_products": [], "paid_more_than_cents": null, "paid_less_than_cents": null, "created_after": null, "created_before": null, "bought_from": null}),
            emails: vec![
                wf_email(
                    WFE_WELCOME_1,
                    "Thanks for your purchase",
                    0,
                    "hour",
                    published,
                    "2025-01-20T09:00:00Z",
                    (40, 31, 12),
                ),
                wf_email(
                    WFE_WELCOME_2,
                    "Tips for your new icons",
                    3,
                    "day",
                    published,
                    "2025-01-20T09:05:00Z",
                    (36, 20, 4),
                ),
            ],
            deleted: false,
            created_at: "2025-01-20T09:00:00Z".into(),
            updated_at: "2025-01-20T09:05:00Z".into(),
        },
        Workflow {
            id: WF_ABANDONED_CART.into(),
            seller_id: SELLER_A.into(),
            name: "Abandoned cart".into(),
            workflow_type: "abandoned_cart".into(),
            trigger: None,
            product_id: None,
            variant_id: None,
            published_at: Some("2025-02-10T09:00:00Z".into()),
            first_published_at: Some("2025-02-10T09:00:00Z".into()),
            send_to_past_customers: false,
            filters: json!({"bought_products": [], "not_bought_products": []}),
            emails: vec![wf_email(
                WFE_CART_1,
                "You left something in your cart",
                24,
                "hour",
                Some("2025-02-10T09:00:00Z"),
                "2025-02-10T09:00:00Z",
                (0, 0, 0),
            )],
            deleted: false,
            created_at: "2025-02-10T09:00:00Z".into(),
            updated_at: "2025-02-10T09:00:00Z".into(),
        },
        Workflow {
            id: WF_SKETCH.into(),
            seller_id: SELLER_A.into(),
            name: "Sketch Pro onboarding".into(),
            workflow_type: "product".into(),
            trigger: None,
            product_id: Some(P3_SKETCH.into()),
            variant_id: None,
            published_at: None,
            first_published_at: None,
            send_to_past_customers: false,
            filters: json!({"bought_products": ["skpro"]}),
            emails: vec![wf_email(
                WFE_SKETCH_1,
                "Getting started with Sketch Pro",
                1,
                "day",
                None,
                "2025-06-01T09:00:00Z",
                (0, 0, 0),
            )],
            deleted: false,
            created_at: "2025-06-01T09:00:00Z".into(),
            updated_at: "2025-06-01T09:00:00Z".into(),
        },
        Workflow {
            id: WF_ADA.into(),
            seller_id: SELLER_B.into(),
            name: "Notebook buyers".into(),
            workflow_type: "product".into(),
            trigger: None,
            product_id: Some(P6_NOTEBOOK.into()),
            variant_id: None,
            published_at: Some("2025-07-01T09:00:00Z".into()),
            first_published_at: Some("2025-07-01T09:00:00Z".into()),
            send_to_past_customers: true,
            filters: json!({"bought_products": ["adanb"]}),
            emails: vec![wf_email(
                WFE_ADA_1,
                "How to use the notebook",
                1,
                "week",
                Some("2025-07-01T09:00:00Z"),
                "2025-07-01T09:00:00Z",
                (3, 2, 1),
            )],
            deleted: false,
            created_at: "2025-07-01T09:00:00Z".into(),
            updated_at: "2025-07-01T09:00:00Z".into(),
        },
    ]
}
