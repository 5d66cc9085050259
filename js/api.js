// Generated from src/core/endpoints/table.rs by `make generate`; do not edit.
// The resource namespaces of GumroadClient (`client.products.list()`). Each method passes its
// arguments to one entry point of the wasm: `_call` (a route, by its index in the table),
// `_page` (a list's first page, for `iterate()`), `_upload` and `_check`; the wasm builds,
// sends and judges the call. `defineApi` adds the namespaces to the class (each entry calls it).

import { PageIterator } from "./pages.js";

/** @typedef {import("./pages.js").Client} Client */

/**
 * A namespace: methods that take what the caller passes (the wasm checks it), and getters of
 * the namespaces under it.
 * @typedef {{ [member: string]: ((...args: unknown[]) => unknown) | object }} Namespace
 */

const U = undefined;

/** A route's params given as its one value (`licenses.enable(key)`-style shorthands). */
/** @param {string} key @param {unknown} value */
const named = (key, value) => (value !== undefined && value !== null && typeof value !== "object" ? { [key]: value } : value);

/** `client.files` @param {Client} c @returns {Namespace} */
const nsFiles = (c) => ({
  presign: (params, options) => c._call(0, U, U, U, params, options),
  complete: (params, options) => c._call(1, U, U, U, params, options),
  abort: (params, options) => c._call(2, U, U, U, params, options),
  upload: (data, options) => c._upload(data, options),
});

/** `client.directUploads` @param {Client} c @returns {Namespace} */
const nsDirectUploads = (c) => ({
  create: (params, options) => c._call(3, U, U, U, params, options),
});

/** `client.licenses` @param {Client} c @returns {Namespace} */
const nsLicenses = (c) => ({
  verify: (params, options) => c._call(4, U, U, U, params, options),
  enable: (params, options) => c._call(5, U, U, U, params, options),
  disable: (params, options) => c._call(6, U, U, U, params, options),
  decrementUsesCount: (params, options) => c._call(7, U, U, U, params, options),
  rotate: (params, options) => c._call(8, U, U, U, params, options),
  check: (params, options) => c._check(params, options),
});

/** `client.user` @param {Client} c @returns {Namespace} */
const nsUser = (c) => ({
  retrieve: (options) => c._call(9, U, U, U, U, options),
  theme: (options) => c._call(10, U, U, U, U, options),
  profileLayout: (options) => c._call(11, U, U, U, U, options),
  update: (params, options) => c._call(12, U, U, U, params, options),
  retrieveCustomHtml: (options) => c._call(13, U, U, U, U, options),
  updateCustomHtml: (params, options) => c._call(14, U, U, U, params, options),
  editCustomHtml: (params, options) => c._call(15, U, U, U, params, options),
  previewCustomHtml: (params, options) => c._call(16, U, U, U, params, options),
});

/** `client.pages` @param {Client} c @returns {Namespace} */
const nsPages = (c) => ({
  list: (options) => c._call(17, U, U, U, U, options),
  retrieve: (slug, options) => c._call(18, slug, U, U, U, options),
  create: (params, options) => c._call(19, U, U, U, params, options),
  update: (slug, params, options) => c._call(20, slug, U, U, params, options),
  delete: (slug, options) => c._call(21, slug, U, U, U, options),
});

/** `client.media` @param {Client} c @returns {Namespace} */
const nsMedia = (c) => ({
  list: (options) => c._call(22, U, U, U, U, options),
  create: (params, options) => c._call(23, U, U, U, params, options),
  delete: (mediaId, options) => c._call(24, mediaId, U, U, U, options),
});

/** `client.categories` @param {Client} c @returns {Namespace} */
const nsCategories = (c) => ({
  list: (options) => c._call(25, U, U, U, U, options),
});

/** `client.helpArticles` @param {Client} c @returns {Namespace} */
const nsHelpArticles = (c) => ({
  list: (params, options) => c._call(26, U, U, U, params, options),
  retrieve: (slug, options) => c._call(27, slug, U, U, U, options),
});

/** `client.refundPolicy` @param {Client} c @returns {Namespace} */
const nsRefundPolicy = (c) => ({
  retrieve: (options) => c._call(28, U, U, U, U, options),
  update: (params, options) => c._call(29, U, U, U, params, options),
});

/** `client.products` @param {Client} c @returns {Namespace} */
const nsProducts = (c) => ({
  comps: (params, options) => c._call(30, U, U, U, params, options),
  list: (params, options) => c._call(31, U, U, U, params, options),
  iterate: (params, options) => new PageIterator(() => c._page(31, U, U, U, params, options)),
  create: (params, options) => c._call(32, U, U, U, params, options),
  retrieve: (productId, options) => c._call(33, productId, U, U, U, options),
  update: (productId, params, options) => c._call(34, productId, U, U, params, options),
  delete: (productId, options) => c._call(35, productId, U, U, U, options),
  disable: (productId, options) => c._call(36, productId, U, U, U, options),
  enable: (productId, options) => c._call(37, productId, U, U, U, options),
  previewCustomHtml: (productId, params, options) => c._call(38, productId, U, U, params, options),
  retrieveCustomHtml: (productId, options) => c._call(39, productId, U, U, U, options),
  editCustomHtml: (productId, params, options) => c._call(40, productId, U, U, params, options),
});

/** `client.customFields` @param {Client} c @returns {Namespace} */
const nsCustomFields = (c) => ({
  list: (productId, options) => c._call(41, productId, U, U, U, options),
  create: (productId, params, options) => c._call(42, productId, U, U, params, options),
  update: (productId, name, params, options) => c._call(43, productId, name, U, params, options),
  delete: (productId, name, options) => c._call(44, productId, name, U, U, options),
});

/** `client.offerCodes` @param {Client} c @returns {Namespace} */
const nsOfferCodes = (c) => ({
  list: (productId, options) => c._call(45, productId, U, U, U, options),
  create: (productId, params, options) => c._call(46, productId, U, U, params, options),
  retrieve: (productId, offerCodeId, options) => c._call(47, productId, offerCodeId, U, U, options),
  update: (productId, offerCodeId, params, options) => c._call(48, productId, offerCodeId, U, params, options),
  delete: (productId, offerCodeId, options) => c._call(49, productId, offerCodeId, U, U, options),
});

/** `client.variantCategories` @param {Client} c @returns {Namespace} */
const nsVariantCategories = (c) => ({
  list: (productId, options) => c._call(50, productId, U, U, U, options),
  create: (productId, params, options) => c._call(51, productId, U, U, params, options),
  retrieve: (productId, variantCategoryId, options) => c._call(52, productId, variantCategoryId, U, U, options),
  update: (productId, variantCategoryId, params, options) => c._call(53, productId, variantCategoryId, U, params, options),
  delete: (productId, variantCategoryId, options) => c._call(54, productId, variantCategoryId, U, U, options),
});

/** `client.variants` @param {Client} c @returns {Namespace} */
const nsVariants = (c) => ({
  list: (productId, variantCategoryId, options) => c._call(55, productId, variantCategoryId, U, U, options),
  create: (productId, variantCategoryId, params, options) => c._call(56, productId, variantCategoryId, U, params, options),
  retrieve: (productId, variantCategoryId, variantId, options) => c._call(57, productId, variantCategoryId, variantId, U, options),
  update: (productId, variantCategoryId, variantId, params, options) => c._call(58, productId, variantCategoryId, variantId, params, options),
  delete: (productId, variantCategoryId, variantId, options) => c._call(59, productId, variantCategoryId, variantId, U, options),
});

/** `client.skus` @param {Client} c @returns {Namespace} */
const nsSkus = (c) => ({
  list: (productId, options) => c._call(60, productId, U, U, U, options),
});

/** `client.subscribers` @param {Client} c @returns {Namespace} */
const nsSubscribers = (c) => ({
  list: (productId, params, options) => c._call(61, productId, U, U, params, options),
  iterate: (productId, params, options) => new PageIterator(() => c._page(61, productId, U, U, params, options)),
  retrieve: (subscriberId, options) => c._call(102, subscriberId, U, U, U, options),
});

/** `client.reviews` @param {Client} c @returns {Namespace} */
const nsReviews = (c) => ({
  list: (productId, params, options) => c._call(62, productId, U, U, params, options),
  iterate: (productId, params, options) => new PageIterator(() => c._page(62, productId, U, U, params, options)),
});

/** `client.bundleContents` @param {Client} c @returns {Namespace} */
const nsBundleContents = (c) => ({
  update: (productId, params, options) => c._call(63, productId, U, U, params, options),
});

/** `client.thumbnail` @param {Client} c @returns {Namespace} */
const nsThumbnail = (c) => ({
  create: (productId, params, options) => c._call(64, productId, U, U, params, options),
  delete: (productId, options) => c._call(65, productId, U, U, U, options),
});

/** `client.covers` @param {Client} c @returns {Namespace} */
const nsCovers = (c) => ({
  create: (productId, params, options) => c._call(66, productId, U, U, params, options),
  delete: (productId, coverId, options) => c._call(67, productId, coverId, U, U, options),
});

/** `client.upsells` @param {Client} c @returns {Namespace} */
const nsUpsells = (c) => ({
  list: (options) => c._call(68, U, U, U, U, options),
  create: (params, options) => c._call(69, U, U, U, params, options),
  retrieve: (upsellId, options) => c._call(70, upsellId, U, U, U, options),
  update: (upsellId, params, options) => c._call(71, upsellId, U, U, params, options),
  delete: (upsellId, options) => c._call(72, upsellId, U, U, U, options),
});

/** `client.utmLinks` @param {Client} c @returns {Namespace} */
const nsUtmLinks = (c) => ({
  list: (options) => c._call(73, U, U, U, U, options),
  create: (params, options) => c._call(74, U, U, U, params, options),
  retrieve: (utmLinkId, options) => c._call(75, utmLinkId, U, U, U, options),
  update: (utmLinkId, params, options) => c._call(76, utmLinkId, U, U, params, options),
  delete: (utmLinkId, options) => c._call(77, utmLinkId, U, U, U, options),
  disable: (utmLinkId, options) => c._call(78, utmLinkId, U, U, U, options),
  enable: (utmLinkId, options) => c._call(79, utmLinkId, U, U, U, options),
});

/** `client.emails` @param {Client} c @returns {Namespace} */
const nsEmails = (c) => ({
  list: (params, options) => c._call(80, U, U, U, params, options),
  iterate: (params, options) => new PageIterator(() => c._page(80, U, U, U, params, options)),
  create: (params, options) => c._call(81, U, U, U, params, options),
  retrieve: (emailId, options) => c._call(82, emailId, U, U, U, options),
  delete: (emailId, options) => c._call(83, emailId, U, U, U, options),
  preview: (emailId, options) => c._call(84, emailId, U, U, U, options),
  send: (emailId, options) => c._call(85, emailId, U, U, U, options),
  schedule: (emailId, params, options) => c._call(86, emailId, U, U, params, options),
  unschedule: (emailId, options) => c._call(87, emailId, U, U, U, options),
});

/** `client.workflows` @param {Client} c @returns {Namespace} */
const nsWorkflows = (c) => ({
  list: (options) => c._call(88, U, U, U, U, options),
  retrieve: (workflowId, options) => c._call(89, workflowId, U, U, U, options),
});

/** `client.workflowEmails` @param {Client} c @returns {Namespace} */
const nsWorkflowEmails = (c) => ({
  create: (workflowId, params, options) => c._call(90, workflowId, U, U, params, options),
  update: (workflowId, emailId, params, options) => c._call(91, workflowId, emailId, U, params, options),
});

/** `client.sales` @param {Client} c @returns {Namespace} */
const nsSales = (c) => ({
  exports: (params, options) => c._call(92, U, U, U, params, options),
  summary: (params, options) => c._call(93, U, U, U, params, options),
  list: (params, options) => c._call(94, U, U, U, params, options),
  iterate: (params, options) => new PageIterator(() => c._page(94, U, U, U, params, options)),
  retrieve: (saleId, options) => c._call(95, saleId, U, U, U, options),
  markAsShipped: (saleId, params, options) => c._call(96, saleId, U, U, params, options),
  refund: (saleId, params, options) => c._call(97, saleId, U, U, params, options),
  resendReceipt: (saleId, options) => c._call(98, saleId, U, U, U, options),
});

/** `client.payouts` @param {Client} c @returns {Namespace} */
const nsPayouts = (c) => ({
  upcoming: (params, options) => c._call(99, U, U, U, params, options),
  list: (params, options) => c._call(100, U, U, U, params, options),
  iterate: (params, options) => new PageIterator(() => c._page(100, U, U, U, params, options)),
  retrieve: (payoutId, params, options) => c._call(101, payoutId, U, U, params, options),
});

/** `client.resourceSubscriptions` @param {Client} c @returns {Namespace} */
const nsResourceSubscriptions = (c) => ({
  create: (params, options) => c._call(103, U, U, U, params, options),
  delete: (id, options) => c._call(104, id, U, U, U, options),
  list: (params, options) => c._call(105, U, U, U, named("resource_name", params), options),
});

/** `client.taxForms` @param {Client} c @returns {Namespace} */
const nsTaxForms = (c) => ({
  list: (params, options) => c._call(106, U, U, U, params, options),
  download: (year, taxFormType, options) => c._call(107, year, taxFormType, U, U, options),
});

/** `client.earnings` @param {Client} c @returns {Namespace} */
const nsEarnings = (c) => ({
  retrieve: (params, options) => c._call(108, U, U, U, params, options),
});

/** `client.maton.connections` @param {Client} c @returns {Namespace} */
const nsMatonConnections = (c) => ({
  list: (params, options) => c._call(109, U, U, U, params, options),
  create: (params, options) => c._call(110, U, U, U, params, options),
  retrieve: (connectionId, options) => c._call(111, connectionId, U, U, U, options),
  delete: (connectionId, options) => c._call(112, connectionId, U, U, U, options),
});

/** `client.maton` @param {Client} c @returns {Namespace} */
const nsMaton = (c) => ({
  get connections() {
    return space(c, "maton.connections", nsMatonConnections);
  },
});

/** The namespaces made so far, per client (a WeakMap: nothing is stored on the client or
 * found on its prototype). @type {WeakMap<object, Map<string, Namespace>>} */
const MADE = new WeakMap();

/** One namespace object per client and path, made on first use.
 * @param {Client} client @param {string} path @param {(c: Client) => Namespace} make */
function space(client, path, make) {
  let made = MADE.get(client);
  if (!made) {
    made = new Map();
    MADE.set(client, made);
  }
  let ns = made.get(path);
  if (!ns) {
    ns = make(client);
    made.set(path, ns);
  }
  return ns;
}

/** Adds `client.<resource>` to the class the wasm exports.
 * @param {{ prototype: object }} GumroadClient */
export function defineApi(GumroadClient) {
  Object.defineProperties(GumroadClient.prototype, {
    files: {
      /** @this {Client} */
      get() {
        return space(this, "files", nsFiles);
      },
      configurable: true,
    },
    directUploads: {
      /** @this {Client} */
      get() {
        return space(this, "directUploads", nsDirectUploads);
      },
      configurable: true,
    },
    licenses: {
      /** @this {Client} */
      get() {
        return space(this, "licenses", nsLicenses);
      },
      configurable: true,
    },
    user: {
      /** @this {Client} */
      get() {
        return space(this, "user", nsUser);
      },
      configurable: true,
    },
    pages: {
      /** @this {Client} */
      get() {
        return space(this, "pages", nsPages);
      },
      configurable: true,
    },
    media: {
      /** @this {Client} */
      get() {
        return space(this, "media", nsMedia);
      },
      configurable: true,
    },
    categories: {
      /** @this {Client} */
      get() {
        return space(this, "categories", nsCategories);
      },
      configurable: true,
    },
    helpArticles: {
      /** @this {Client} */
      get() {
        return space(this, "helpArticles", nsHelpArticles);
      },
      configurable: true,
    },
    refundPolicy: {
      /** @this {Client} */
      get() {
        return space(this, "refundPolicy", nsRefundPolicy);
      },
      configurable: true,
    },
    products: {
      /** @this {Client} */
      get() {
        return space(this, "products", nsProducts);
      },
      configurable: true,
    },
    customFields: {
      /** @this {Client} */
      get() {
        return space(this, "customFields", nsCustomFields);
      },
      configurable: true,
    },
    offerCodes: {
      /** @this {Client} */
      get() {
        return space(this, "offerCodes", nsOfferCodes);
      },
      configurable: true,
    },
    variantCategories: {
      /** @this {Client} */
      get() {
        return space(this, "variantCategories", nsVariantCategories);
      },
      configurable: true,
    },
    variants: {
      /** @this {Client} */
      get() {
        return space(this, "variants", nsVariants);
      },
      configurable: true,
    },
    skus: {
      /** @this {Client} */
      get() {
        return space(this, "skus", nsSkus);
      },
      configurable: true,
    },
    subscribers: {
      /** @this {Client} */
      get() {
        return space(this, "subscribers", nsSubscribers);
      },
      configurable: true,
    },
    reviews: {
      /** @this {Client} */
      get() {
        return space(this, "reviews", nsReviews);
      },
      configurable: true,
    },
    bundleContents: {
      /** @this {Client} */
      get() {
        return space(this, "bundleContents", nsBundleContents);
      },
      configurable: true,
    },
    thumbnail: {
      /** @this {Client} */
      get() {
        return space(this, "thumbnail", nsThumbnail);
      },
      configurable: true,
    },
    covers: {
      /** @this {Client} */
      get() {
        return space(this, "covers", nsCovers);
      },
      configurable: true,
    },
    upsells: {
      /** @this {Client} */
      get() {
        return space(this, "upsells", nsUpsells);
      },
      configurable: true,
    },
    utmLinks: {
      /** @this {Client} */
      get() {
        return space(this, "utmLinks", nsUtmLinks);
      },
      configurable: true,
    },
    emails: {
      /** @this {Client} */
      get() {
        return space(this, "emails", nsEmails);
      },
      configurable: true,
    },
    workflows: {
      /** @this {Client} */
      get() {
        return space(this, "workflows", nsWorkflows);
      },
      configurable: true,
    },
    workflowEmails: {
      /** @this {Client} */
      get() {
        return space(this, "workflowEmails", nsWorkflowEmails);
      },
      configurable: true,
    },
    sales: {
      /** @this {Client} */
      get() {
        return space(this, "sales", nsSales);
      },
      configurable: true,
    },
    payouts: {
      /** @this {Client} */
      get() {
        return space(this, "payouts", nsPayouts);
      },
      configurable: true,
    },
    resourceSubscriptions: {
      /** @this {Client} */
      get() {
        return space(this, "resourceSubscriptions", nsResourceSubscriptions);
      },
      configurable: true,
    },
    taxForms: {
      /** @this {Client} */
      get() {
        return space(this, "taxForms", nsTaxForms);
      },
      configurable: true,
    },
    earnings: {
      /** @this {Client} */
      get() {
        return space(this, "earnings", nsEarnings);
      },
      configurable: true,
    },
    maton: {
      /** @this {Client} */
      get() {
        return this._isMaton ? space(this, "maton", nsMaton) : undefined;
      },
      configurable: true,
    },
  });
}
