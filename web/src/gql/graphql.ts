/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ArticleKind =
  | 'FAQ'
  | 'GUIDE'
  | 'RELEASE_NOTE'
  | 'TROUBLESHOOTING';

/** What a content item is for. */
export type ContentKind =
  | 'FAQ_DRAFT'
  | 'MARKETING_EMAIL'
  | 'PRODUCT_DESCRIPTION'
  | 'SOCIAL_POST'
  | 'SUPPORT_MACRO';

/** Where a content item is in the review workflow. */
export type ContentStatus =
  | 'APPROVED'
  | 'DRAFT'
  | 'IN_REVIEW'
  | 'PUBLISHED';

export type CreateTicketInput = {
  channel: TicketChannel;
  /** Whom the ticket is for; agents must give it, customers leave it out. */
  customerId?: string | number | null | undefined;
  description: string;
  priority?: TicketPriority;
  productId: string | number;
  subject: string;
  tags?: Array<string>;
};

/** What happened. */
export type EventKind =
  | 'ARTICLE_FEEDBACK'
  | 'ARTICLE_VIEW'
  | 'CONTENT_GENERATED'
  | 'PAGE_VIEW'
  | 'SEARCH'
  | 'SEARCH_CLICK'
  | 'TICKET_CREATED'
  | 'TICKET_DEFLECTED'
  | 'TICKET_SOLVED';

export type GenerateContentInput = {
  kind: ContentKind;
  locale?: string;
  productId: string | number;
  /** A template of the same kind; the built-in one of the kind otherwise. */
  templateId?: string | number | null | undefined;
  title?: string | null | undefined;
  /** Values for the template's variables that are not product facts. */
  variables?: Array<TemplateVariableInput> | null | undefined;
};

export type IssueStatus =
  | 'INVESTIGATING'
  | 'OPEN'
  | 'RESOLVED';

/** The kinds of record the knowledge graph holds. */
export type NodeKind =
  | 'ARTICLE'
  | 'FEATURE'
  | 'FIRMWARE'
  | 'KNOWN_ISSUE'
  | 'PRODUCT'
  | 'SOLUTION';

/** What a user does; it decides their scopes. */
export type Role =
  | 'ADMIN'
  | 'ANALYST'
  | 'CUSTOMER'
  | 'EDITOR'
  | 'PARTNER'
  | 'SUPPORT_AGENT';

export type SearchResultKind =
  | 'ARTICLE'
  | 'SOLUTION';

export type Severity =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

/** What kind of record a passage comes from. */
export type SourceKind =
  | 'ARTICLE'
  | 'KNOWN_ISSUE'
  | 'SOLUTION';

/** One {{variable}} and the text to put in its place. */
export type TemplateVariableInput = {
  name: string;
  value: string;
};

export type TicketChannel =
  | 'CHAT'
  | 'EMAIL'
  | 'PHONE'
  | 'WEB';

export type TicketPriority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL'
  | 'URGENT';

/** The order of a ticket queue. */
export type TicketSort =
  | 'NEWEST'
  | 'OLDEST'
  /** Most urgent first; within a priority, oldest first. */
  | 'PRIORITY';

/** Where a ticket is in its workflow: OPEN ⇄ PENDING, → SOLVED ⇄ OPEN, SOLVED → CLOSED. */
export type TicketStatus =
  | 'CLOSED'
  | 'OPEN'
  | 'PENDING'
  | 'SOLVED';

/** Hours, UTC days, or ISO weeks (Monday 00:00 UTC). */
export type TimeBucket =
  | 'DAY'
  | 'HOUR'
  | 'WEEK';

/** One event. What a kind requires is checked on arrival (BAD_USER_INPUT). Page views, searches, clicks, article views and feedback, and ticket_deflected (a customer who left the new-ticket form satisfied by a suggested solution) may be sent anonymously; tickets created or solved and generated content need analytics:write. */
export type TrackEventInput = {
  articleId?: string | number | null | undefined;
  /** The sender's id for this event: sending it again returns the stored event, no second one. */
  clientEventId?: string | null | undefined;
  /** content_generated. */
  contentId?: string | number | null | undefined;
  /** ticket_solved: solved before any agent replied. */
  deflected?: boolean | null | undefined;
  /** The reader's vote (article_feedback). */
  helpful?: boolean | null | undefined;
  kind: EventKind;
  /** Defaults to now. */
  occurredAt?: string | null | undefined;
  productId?: string | number | null | undefined;
  /** content_generated: template, openai, anthropic. */
  provider?: string | null | undefined;
  /** The search text (search events). */
  query?: string | null | undefined;
  /** Results shown (search events). */
  resultCount?: number | null | undefined;
  /** ticket_deflected: the suggested solution that solved the problem. */
  solutionId?: string | number | null | undefined;
  /** ticket_created / ticket_solved. */
  ticketId?: string | number | null | undefined;
  userId?: string | number | null | undefined;
};

export type HomePageQueryVariables = Exact<{ [key: string]: never; }>;


export type HomePageQuery = { categories: Array<{ id: string, slug: string, name: string }> | null, products: { totalCount: number, edges: Array<{ node: { id: string, slug: string, name: string, series: string, category: { name: string } } }> } | null };

export type ProductSlugsQueryVariables = Exact<{ [key: string]: never; }>;


export type ProductSlugsQuery = { products: { edges: Array<{ node: { slug: string } }> } | null };

export type ProductPageQueryVariables = Exact<{
  slug: string;
}>;


export type ProductPageQuery = { productBySlug: { id: string, slug: string, name: string, series: string, sku: string, description: string, priceCents: number, releasedAt: string, category: { name: string }, specs: Array<{ name: string, value: string }>, features: Array<{ id: string, name: string, description: string }>, knownIssues: Array<{ id: string, title: string, description: string, severity: Severity, status: IssueStatus, symptoms: Array<string>, solutions: Array<{ id: string, title: string, steps: Array<string>, successRate: number, articles: Array<{ id: string, slug: string, title: string }> }> }>, compatibleWith: Array<{ id: string, slug: string, name: string }>, accessories: Array<{ id: string, slug: string, name: string }>, firmware: Array<{ id: string, version: string, releasedAt: string }>, articles: Array<{ id: string, slug: string, title: string, kind: ArticleKind }>, related: Array<{ kind: NodeKind, distance: number, node:
        | { __typename: 'Article', id: string, title: string, slug: string }
        | { __typename: 'Feature', id: string, name: string }
        | { __typename: 'FirmwareVersion', id: string, version: string }
        | { __typename: 'KnownIssue', id: string, title: string }
        | { __typename: 'Product', id: string, name: string, slug: string }
        | { __typename: 'Solution', id: string, title: string }
       }> } | null };

export type ArticleSlugsQueryVariables = Exact<{ [key: string]: never; }>;


export type ArticleSlugsQuery = { articles: { edges: Array<{ node: { slug: string } }> } | null };

export type ArticlePageQueryVariables = Exact<{
  slug: string;
}>;


export type ArticlePageQuery = { articleBySlug: { id: string, slug: string, title: string, kind: ArticleKind, body: string, locale: string, tags: Array<string>, version: number, publishedAt: string | null, updatedAt: string | null } | null };

export type SearchPageQueryVariables = Exact<{
  query: string;
  kinds?: Array<SearchResultKind> | SearchResultKind | null | undefined;
  articleKind?: ArticleKind | null | undefined;
  first: number;
}>;


export type SearchPageQuery = { search: { edges: Array<{ node: { score: number, titleHighlight: string, highlight: string, result:
          | { __typename: 'Article', id: string, slug: string, title: string, kind: ArticleKind }
          | { __typename: 'Solution', id: string, title: string, steps: Array<string> }
         } }> } | null };

export type AskPageQueryVariables = Exact<{
  question: string;
  productId?: string | number | null | undefined;
}>;


export type AskPageQuery = { ask: { text: string, known: boolean, confidence: number, provider: string, degraded: Array<string>, citations: Array<{ number: number, kind: SourceKind, id: string, passage: string, source:
        | { __typename: 'Article', id: string, slug: string, title: string }
        | { __typename: 'KnownIssue', id: string, title: string }
        | { __typename: 'Solution', id: string, title: string }
       | null }> } | null };

export type ProductChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type ProductChoicesQuery = { products: { edges: Array<{ node: { id: string, name: string } }> } | null };

export type TrackEventsMutationVariables = Exact<{
  inputs: Array<TrackEventInput> | TrackEventInput;
}>;


export type TrackEventsMutation = { trackEvents: Array<{ id: string }> };

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { login: { accessToken: string, expiresIn: number, refreshToken: string, refreshExpiresIn: number, user: { id: string, name: string, role: Role } } };

export type RefreshMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshMutation = { refresh: { accessToken: string, expiresIn: number, refreshToken: string, refreshExpiresIn: number, user: { id: string, name: string, role: Role } } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, name: string, role: Role, email: string } | null };

export type StudioItemsQueryVariables = Exact<{
  productId?: string | number | null | undefined;
  status?: ContentStatus | null | undefined;
}>;


export type StudioItemsQuery = { contentItems: { totalCount: number, edges: Array<{ node: { id: string, kind: ContentKind, title: string, status: ContentStatus, locale: string, updatedAt: string, product: { name: string } | null } }> } | null };

export type StudioItemQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioItemQuery = { contentItem: { id: string, kind: ContentKind, title: string, status: ContentStatus, locale: string, product: { id: string, name: string } | null, currentRevision: { number: number, body: string }, revisions: Array<{ number: number, note: string | null, createdAt: string, author: { name: string } }> | null, reviews: Array<{ from: ContentStatus, to: ContentStatus, at: string, comment: string | null, by: { name: string } }> | null } | null };

export type StudioDiffQueryVariables = Exact<{
  id: string | number;
  from: number;
  to: number;
}>;


export type StudioDiffQuery = { contentItem: { id: string, diff: { from: number, to: number, unified: string, addedLines: number, removedLines: number } | null } | null };

export type TransitionContentItemMutationVariables = Exact<{
  id: string | number;
  to: ContentStatus;
  comment?: string | null | undefined;
}>;


export type TransitionContentItemMutation = { transitionContentItem: { id: string, status: ContentStatus } };

export type GenerateContentMutationVariables = Exact<{
  input: GenerateContentInput;
}>;


export type GenerateContentMutation = { generateContent: { id: string, provider: string, contentItem: { id: string } | null } };

export type AnalyticsPageQueryVariables = Exact<{
  from: string;
  to: string;
  bucket: TimeBucket;
}>;


export type AnalyticsPageQuery = { metrics: { searchVolume: Array<{ start: string, count: number }>, topQueries: Array<{ query: string, count: number }>, zeroResultQueries: Array<{ query: string, count: number }>, topArticles: Array<{ views: number, helpfulness: number | null, article: { id: string, title: string } }>, ticketsByProduct: Array<{ created: number, solved: number, deflected: number, deflectionRate: number | null, selfServiceDeflections: number, product: { id: string, name: string } }>, generationVolume: Array<{ start: string, count: number }> } | null };

export type MyTicketsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyTicketsQuery = { tickets: { totalCount: number, edges: Array<{ node: { id: string, subject: string, status: TicketStatus, priority: TicketPriority, updatedAt: string, product: { name: string } | null } }> } | null };

export type SuggestSolutionsQueryVariables = Exact<{
  query: string;
  product?: string | number | null | undefined;
}>;


export type SuggestSolutionsQuery = { search: { edges: Array<{ node: { highlight: string, result:
          | { __typename: 'Article' }
          | { __typename: 'Solution', id: string, title: string, steps: Array<string> }
         } }> } | null };

export type CreateTicketMutationVariables = Exact<{
  input: CreateTicketInput;
  idempotencyKey?: string | null | undefined;
}>;


export type CreateTicketMutation = { createTicket: { id: string } };

export type TicketPageQueryVariables = Exact<{
  id: string | number;
  includeInternal: boolean;
}>;


export type TicketPageQuery = { ticket: { id: string, subject: string, description: string, status: TicketStatus, priority: TicketPriority, createdAt: string, product: { id: string, name: string, slug: string } | null, customer: { id: string, name: string } | null, assignee: { id: string, name: string } | null, messages: Array<{ id: string, body: string, internal: boolean, createdAt: string, author: { id: string, name: string, role: Role } | null }> } | null };

export type TicketSuggestionsQueryVariables = Exact<{
  id: string | number;
}>;


export type TicketSuggestionsQuery = { ticket: { id: string, suggestedSolutions: Array<{ id: string, title: string, steps: Array<string> }> } | null };

export type AddTicketMessageMutationVariables = Exact<{
  ticketId: string | number;
  body: string;
  internal: boolean;
  idempotencyKey?: string | null | undefined;
}>;


export type AddTicketMessageMutation = { addTicketMessage: { id: string } };

export type AgentQueueQueryVariables = Exact<{
  status?: Array<TicketStatus> | TicketStatus | null | undefined;
  priority?: Array<TicketPriority> | TicketPriority | null | undefined;
  unassigned: boolean;
  sort: TicketSort;
}>;


export type AgentQueueQuery = { tickets: { totalCount: number, edges: Array<{ node: { id: string, subject: string, status: TicketStatus, priority: TicketPriority, createdAt: string, product: { name: string } | null, customer: { name: string } | null, assignee: { name: string } | null } }> } | null };

export type TransitionTicketMutationVariables = Exact<{
  ticketId: string | number;
  status: TicketStatus;
}>;


export type TransitionTicketMutation = { transitionTicket: { id: string, status: TicketStatus } };

export type AssignTicketMutationVariables = Exact<{
  ticketId: string | number;
  assigneeId?: string | number | null | undefined;
}>;


export type AssignTicketMutation = { assignTicket: { id: string, assignee: { id: string, name: string } | null } };


export const HomePageDocument = {"__meta__":{"hash":"sha256:d7a0ac0c762ad0fa41808a8030f9dea5fdbac78e5e4f01f5a2ebf3b6f74ad936"}} as unknown as DocumentNode<HomePageQuery, HomePageQueryVariables>;
export const ProductSlugsDocument = {"__meta__":{"hash":"sha256:0aaed3520d7dee961594a5fcc984aac4f46b70cb9ca3c2320ef0d3b7868c65f9"}} as unknown as DocumentNode<ProductSlugsQuery, ProductSlugsQueryVariables>;
export const ProductPageDocument = {"__meta__":{"hash":"sha256:bbc20cbed16267a8f2694532fb081303231632186a0601f8c28deb013fcc7e51"}} as unknown as DocumentNode<ProductPageQuery, ProductPageQueryVariables>;
export const ArticleSlugsDocument = {"__meta__":{"hash":"sha256:c164c94c2f76f72698e103df48f8e96cf11f8dd6ff049f90f9b36b47537a9264"}} as unknown as DocumentNode<ArticleSlugsQuery, ArticleSlugsQueryVariables>;
export const ArticlePageDocument = {"__meta__":{"hash":"sha256:572512fbb36e2f2694e1412a7ab2c4c0bebc72ca01eb880143eed971230d0cbd"}} as unknown as DocumentNode<ArticlePageQuery, ArticlePageQueryVariables>;
export const SearchPageDocument = {"__meta__":{"hash":"sha256:2bf27d9f2cddf9e9a4afa8c604748217c2bd0b4e5dd5ce85645f4c90c8a96daf"}} as unknown as DocumentNode<SearchPageQuery, SearchPageQueryVariables>;
export const AskPageDocument = {"__meta__":{"hash":"sha256:76daf08a4dc5ef31587bf35b6be9d086cfa84ab8906af020acce267b94649746"}} as unknown as DocumentNode<AskPageQuery, AskPageQueryVariables>;
export const ProductChoicesDocument = {"__meta__":{"hash":"sha256:3d332690bb8a6ad24b268cf29315171037124f94afcd1a69e99c5547eeea3d79"}} as unknown as DocumentNode<ProductChoicesQuery, ProductChoicesQueryVariables>;
export const TrackEventsDocument = {"__meta__":{"hash":"sha256:7ac64e9a108c2213c5087a9a6ee866c964f20f40edaa8e308d22335e89d69c3c"}} as unknown as DocumentNode<TrackEventsMutation, TrackEventsMutationVariables>;
export const LoginDocument = {"__meta__":{"hash":"sha256:4b35f2ea69bc612ae47e9f2975d868e9a0e0ed90bec5ef3c91ff54efff5ffd4d"}} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const RefreshDocument = {"__meta__":{"hash":"sha256:a8c88e21fb58677d726c3db5296291c7abcca6a1c49f2372560eed25e9e8ea57"}} as unknown as DocumentNode<RefreshMutation, RefreshMutationVariables>;
export const LogoutDocument = {"__meta__":{"hash":"sha256:44df27831b2e811e41361abb45896fc013bf9f0e37f54ae93fdb75c2c1f24da5"}} as unknown as DocumentNode<LogoutMutation, LogoutMutationVariables>;
export const MeDocument = {"__meta__":{"hash":"sha256:316b292677e1d0afa4d752cf95516491094fcea6ed13a7a069216b83dbd21cda"}} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const StudioItemsDocument = {"__meta__":{"hash":"sha256:bee9fc63ab478295864546497a80544947e6b1ed0826d4f536c2f7a8a002fd29"}} as unknown as DocumentNode<StudioItemsQuery, StudioItemsQueryVariables>;
export const StudioItemDocument = {"__meta__":{"hash":"sha256:a997b4c35c5dc78714e126c268cbdd923800ed5dc98f6dd23e78d1073343906c"}} as unknown as DocumentNode<StudioItemQuery, StudioItemQueryVariables>;
export const StudioDiffDocument = {"__meta__":{"hash":"sha256:a0b3f0e06e0a92e499327a13d9f8ed766b51b5fd7fb79fb414213659256178b7"}} as unknown as DocumentNode<StudioDiffQuery, StudioDiffQueryVariables>;
export const TransitionContentItemDocument = {"__meta__":{"hash":"sha256:999395003a490fe5390dbfce6ecf6e4288d830c350ae0182447412b4b52cbe1f"}} as unknown as DocumentNode<TransitionContentItemMutation, TransitionContentItemMutationVariables>;
export const GenerateContentDocument = {"__meta__":{"hash":"sha256:090534728a4a2dc7b00ec0e048e8517cf769350f00f83b334418bba42c2499ea"}} as unknown as DocumentNode<GenerateContentMutation, GenerateContentMutationVariables>;
export const AnalyticsPageDocument = {"__meta__":{"hash":"sha256:c70e446313f3f4b2af66a0399fbb48574428bb524051fb4fba7e499afd2b56e7"}} as unknown as DocumentNode<AnalyticsPageQuery, AnalyticsPageQueryVariables>;
export const MyTicketsDocument = {"__meta__":{"hash":"sha256:a5a36c3f8c6968e31ff3e652cc9df2a9d6da7df667299cafdd78a0fa6e0e2d55"}} as unknown as DocumentNode<MyTicketsQuery, MyTicketsQueryVariables>;
export const SuggestSolutionsDocument = {"__meta__":{"hash":"sha256:83f3ae87031ff9faa692f4e6f8a5b1bed5c311fba8f9a8f9adfaf22e69e3b56c"}} as unknown as DocumentNode<SuggestSolutionsQuery, SuggestSolutionsQueryVariables>;
export const CreateTicketDocument = {"__meta__":{"hash":"sha256:131c1da15dff1a5e3c83ba7e7079fb76c2428c92fa3c43bdd2adf38299e0cbda"}} as unknown as DocumentNode<CreateTicketMutation, CreateTicketMutationVariables>;
export const TicketPageDocument = {"__meta__":{"hash":"sha256:1eb416bfc191fdbc9dfb6e94f21d8a9f4d16a37df5300ba1c4bffc302ee9b62d"}} as unknown as DocumentNode<TicketPageQuery, TicketPageQueryVariables>;
export const TicketSuggestionsDocument = {"__meta__":{"hash":"sha256:038693274db050f16f2b7ff3eaf5e71e46f1d962df2446ff732f837dc8a3ac54"}} as unknown as DocumentNode<TicketSuggestionsQuery, TicketSuggestionsQueryVariables>;
export const AddTicketMessageDocument = {"__meta__":{"hash":"sha256:9b6b70f288a1665edd2b829432a75d0d09b3e728a7ab2094cd9b7a06c001580f"}} as unknown as DocumentNode<AddTicketMessageMutation, AddTicketMessageMutationVariables>;
export const AgentQueueDocument = {"__meta__":{"hash":"sha256:9efdfc35d03017a5bacba4b642f1d0a81e4f9f0466ff7e1c0a487c8c52efbc80"}} as unknown as DocumentNode<AgentQueueQuery, AgentQueueQueryVariables>;
export const TransitionTicketDocument = {"__meta__":{"hash":"sha256:7d21ddf41c4aeb90d5fdf7295d326338e9f614cb01072ca7511cec79ce524ce0"}} as unknown as DocumentNode<TransitionTicketMutation, TransitionTicketMutationVariables>;
export const AssignTicketDocument = {"__meta__":{"hash":"sha256:b4bcbd6b55d9b17f61a3507375a00d001fc0421f9de43ca7f19c47542f82f177"}} as unknown as DocumentNode<AssignTicketMutation, AssignTicketMutationVariables>;