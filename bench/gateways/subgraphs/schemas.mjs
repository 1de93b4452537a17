// The four subgraphs of the benchmark: SDL and resolvers for @apollo/subgraph.
import { parse } from "graphql";
import { AUTHOR, IN_STOCK, PRODUCTS, REVIEWS, USER_REVIEWS, USERS } from "./data.mjs";

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

export const SUBGRAPHS = {
  accounts: {
    typeDefs: parse(`${LINK}
      type Query {
        me: User
        user(id: ID!): User
        users: [User]
      }
      type User @key(fields: "id") {
        id: ID!
        name: String
        username: String @shareable
        birthday: Int
      }`),
    resolvers: {
      Query: {
        me: () => USERS[0],
        user: (_, { id }) => USERS.find((user) => user.id === id) ?? null,
        users: () => USERS,
      },
      User: { __resolveReference: ({ id }) => USERS.find((user) => user.id === id) ?? null },
    },
  },
  inventory: {
    typeDefs: parse(`${LINK}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`),
    resolvers: {
      Product: {
        // price and weight come in the representation (@requires): free above 1000, else half the weight.
        __resolveReference: (reference) => ({ ...reference, inStock: IN_STOCK[reference.upc] ?? null }),
        shippingEstimate: ({ price, weight }) => {
          if (price == null) return null;
          if (price > 1000) return 0;
          return weight == null ? null : Math.floor(weight / 2);
        },
      },
    },
  },
  products: {
    typeDefs: parse(`${LINK}
      type Query {
        topProducts(first: Int = 5): [Product]
      }
      type Product @key(fields: "upc") {
        upc: String!
        name: String
        price: Int
        weight: Int
      }`),
    resolvers: {
      Query: { topProducts: (_, { first }) => PRODUCTS.slice(0, first) },
      Product: { __resolveReference: ({ upc }) => PRODUCTS.find((product) => product.upc === upc) ?? null },
    },
  },
  reviews: {
    typeDefs: parse(`${LINK}
      type Review @key(fields: "id") {
        id: ID!
        body: String
        product: Product
        author: User @provides(fields: "username")
      }
      type User @key(fields: "id") {
        id: ID!
        username: String @external
        reviews: [Review]
      }
      type Product @key(fields: "upc") {
        upc: String!
        reviews: [Review]
      }`),
    resolvers: {
      Review: {
        __resolveReference: ({ id }) => REVIEWS.find((review) => review.id === id) ?? null,
        author: () => AUTHOR,
      },
      User: {
        __resolveReference: ({ id }) => ({ id }),
        reviews: () => USER_REVIEWS,
      },
      Product: {
        __resolveReference: ({ upc }) => ({ upc }),
        reviews: ({ upc }) => REVIEWS.filter((review) => review.product.upc === upc),
      },
    },
  },
};
