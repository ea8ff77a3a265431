using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using CsCheck;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RestMan.Tests.Floor;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Kitchen;
using RestMan.Tests.Ordering;
using RestMan.Tests.Reservations;
using RestMan.Tests.Restaurants;
using Xunit.Abstractions;

namespace RestMan.Tests.Platform;

/// <summary>
/// The API fuzz and role matrix, through the gateway. Every route of the gateway's OpenAPI document, with the query
/// parameters and JSON body it documents, and every service's own <c>/internal</c> route, is called by every kind of
/// caller with generated input — wrong JSON types, missing and extra fields, malformed, empty and huge bodies, wrong
/// content types, bad UUIDs, unicode, negative and huge numbers. Nothing may answer 5xx, every 400 is problem+json
/// naming a field, and a request that was rejected changes nothing.
/// </summary>
[Trait("Category", "Platform")]
[Collection(ApplicationCollection.Name)]
public sealed partial class ApiFuzzTests(ApplicationFixture fixture, ITestOutputHelper output)
{
    private const int Requests = 3000;

    [Fact]
    public async Task Thousands_of_generated_requests_over_every_route_and_role_get_no_5xx_400s_name_the_field_and_rejected_requests_change_nothing()
    {
        var catalogue = await Catalogue.LoadAsync(fixture);
        using var world = await World.OpenAsync(fixture);
        var before = await world.SnapshotAsync();
        var findings = new ConcurrentDictionary<string, string>();
        var statuses = new ConcurrentDictionary<(string Route, int Status), int>();
        var covered = new ConcurrentDictionary<(string Route, Caller Caller), bool>();
        var clock = Stopwatch.StartNew();

        await FuzzRequest.Generator(catalogue, world).SampleAsync(async request =>
        {
            var (status, contentType, body) = await world.SendAsync(request);
            statuses.AddOrUpdate((request.Route.Name, status), 1, (_, n) => n + 1);
            covered[(request.Route.Name, request.Caller)] = true;
            var finding = Judge(request, status, contentType, body);
            if (finding is not null) findings.TryAdd($"{request.Route.Name} {status} {finding}", $"{request} → {status} {Trim(body)}");
        }, iter: Requests, threads: 8);

        var after = await world.SnapshotAsync();
        output.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:0.0} s over {catalogue.Routes.Count} routes × {Enum.GetValues<Caller>().Length} callers");
        foreach (var route in statuses.GroupBy(s => s.Key.Route).OrderBy(g => g.Key))
            output.WriteLine($"  {route.Key}: {string.Join(", ", route.OrderBy(s => s.Key.Status).Select(s => $"{s.Key.Status}×{s.Value}"))}");
        foreach (var finding in findings) output.WriteLine($"FINDING {finding.Key}: {finding.Value}");

        findings.Keys.ShouldBeEmpty();
        statuses.Keys.Where(s => s.Status >= 500).ShouldBeEmpty();
        catalogue.Routes.Select(r => r.Name).Except(covered.Keys.Select(k => k.Route)).ShouldBeEmpty("every route must be called");
        Enum.GetValues<Caller>().Except(covered.Keys.Select(k => k.Caller)).ShouldBeEmpty("every caller must call");
        after.ShouldBe(before, "a rejected request must change nothing (and every request on these restaurants was meant to be rejected)");
    }

    [Fact]
    public async Task The_role_matrix_holds_through_the_gateway()
    {
        var catalogue = await Catalogue.LoadAsync(fixture);
        using var world = await World.OpenAsync(fixture);
        var wrong = new List<string>();
        foreach (var row in RoleMatrix.Rows)
        {
            foreach (var (caller, expected) in row.Expected)
            {
                var request = new FuzzRequest(catalogue.Route(row.Route), caller, world.Path(row.Route, row.Path), row.Body, "application/json", MustReject: false);
                var (status, contentType, body) = await world.SendAsync(request);
                var ok = expected == Allowed ? status is >= 200 and < 300 : status == expected;
                if (!ok) wrong.Add($"{row.Route} as {caller}: expected {(expected == Allowed ? "2xx" : expected)}, got {status} {Trim(body)}");
                if (status >= 400 && contentType != "application/problem+json") wrong.Add($"{row.Route} as {caller}: {status} is not problem+json ({contentType})");
            }
        }
        output.WriteLine($"{RoleMatrix.Rows.Sum(r => r.Expected.Count)} route × role checks");
        wrong.ShouldBeEmpty();
    }

    private const int Allowed = 2;

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Judge(FuzzRequest request, int status, string? contentType, string body)
    {
        if (status >= 500 || status == 0) return "5xx";
        // Kestrel refuses a malformed request line (a NUL in the path) or an over-long URI before any code runs.
        if (status is 400 or 414 or 431 && contentType is null && body.Length == 0 && request.Path.Length > 0) return null;
        if (request.MustReject && status < 400) return "a request that must be rejected was accepted";
        if (status >= 400 && contentType != "application/problem+json") return $"not problem+json ({contentType})";
        if (status == 400)
        {
            using var problem = JsonDocument.Parse(body);
            if (!problem.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object || !errors.EnumerateObject().Any())
                return "a 400 without errors naming the field";
        }
        return null;
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;

    public enum Caller { Anonymous, ForgedToken, Customer, OtherCustomer, Kitchen, OtherKitchen, OtherOwner, Owner }

    public enum Kind { Text, Email, Uuid, Int, Money, Bool, Status, OrderType, PaymentMethod, Items, Date }

    public sealed record Field(string Name, Kind Kind, bool Required = false);

    /// <summary>A public route; <c>{restaurant}</c>-style placeholders are filled from the world.</summary>
    public sealed record Route(string Method, string Template, Field[] Body, Field[] Query)
    {
        public string Name => $"{Method} {Template}";
        public bool Mutating => Method is not "GET";
        public bool HasBody => Body.Length > 0;
    }

    public sealed record MatrixRow(string Route, Dictionary<Caller, int> Expected, string? Path = null, string? Body = null);

    /// <summary>
    /// Every public route with its query parameters and JSON body, as the gateway's <c>/openapi/v1.json</c> documents
    /// them (its health probes aside), and every service's own <c>/internal</c> route, which the gateway must never reach.
    /// Path parameters become the placeholders the world fills: <c>{restaurantId}</c> → <c>{restaurant}</c>, and
    /// <c>{id}</c> after <c>/tickets</c> → <c>{ticket}</c>.
    /// </summary>
    public sealed partial class Catalogue
    {
        private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

        private Catalogue(IReadOnlyList<Route> routes) => Routes = routes;

        public IReadOnlyList<Route> Routes { get; }

        public Route Route(string name) =>
            Routes.SingleOrDefault(r => r.Name == name) ?? throw new InvalidOperationException($"{name} is not in the OpenAPI documents");

        public static async Task<Catalogue> LoadAsync(ApplicationFixture fixture)
        {
            using var gateway = fixture.CreateGatewayClient();
            var routes = RoutesOf(JsonNode.Parse(await PublicApiDocument.GetCompleteAsync(gateway))!,
                path => !path.EndsWith("/health", StringComparison.Ordinal));
            foreach (var service in fixture.App.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
            {
                using var client = fixture.App.CreateHttpClient(service.Name);
                using var response = await client.GetAsync("/openapi/v1.json");
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/json") continue;
                routes.AddRange(RoutesOf(JsonNode.Parse(await response.Content.ReadAsStringAsync())!,
                    path => path.StartsWith("/internal/", StringComparison.Ordinal)));
            }
            routes.ShouldContain(r => r.Template.StartsWith("/internal/", StringComparison.Ordinal), "the services document their internal routes");
            var unfilled = routes.SelectMany(r => Placeholder().Matches(r.Template).Select(m => m.Groups[1].Value)).Except(Ids.Placeholders).ToList();
            unfilled.ShouldBeEmpty("path parameters the fuzz has no ids for");
            return new Catalogue(routes);
        }

        private static List<Route> RoutesOf(JsonNode document, Func<string, bool> keep)
        {
            var schemas = document["components"]?["schemas"];
            var routes = new List<Route>();
            foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                if (!keep(path) || !Methods.Contains(method)) continue;
                var query = (operation!["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query")
                    .Select(p => FieldOf((string)p!["name"]!, p["schema"], schemas, (bool?)p["required"] == true)).ToArray();
                var body = Resolve(operation["requestBody"]?["content"]?["application/json"]?["schema"], schemas);
                var required = body?["required"]?.AsArray().Select(n => (string)n!).ToHashSet() ?? [];
                var fields = (body?["properties"]?.AsObject() ?? []).Select(p => FieldOf(p.Key, p.Value, schemas, required.Contains(p.Key))).ToArray();
                routes.Add(new Route(method.ToUpperInvariant(), Template(path), fields, query));
            }
            return routes;
        }

        /// <summary>A schema behind its <c>$ref</c>, or the one non-null choice of a <c>oneOf</c>/<c>anyOf</c>.</summary>
        private static JsonNode? Resolve(JsonNode? schema, JsonNode? schemas)
        {
            if (schema?["$ref"] is { } reference) return Resolve(schemas?[((string)reference!)["#/components/schemas/".Length..]], schemas);
            if ((schema?["oneOf"] ?? schema?["anyOf"]) is JsonArray choices)
                return Resolve(choices.FirstOrDefault(c => (string?)c?["type"] != "null"), schemas);
            return schema;
        }

        private static Field FieldOf(string name, JsonNode? schema, JsonNode? schemas, bool required) =>
            new(name, KindOf(name, Resolve(schema, schemas)), required);

        /// <summary>What values to try: the schema's type where it says more than "string", else what the name holds.</summary>
        private static Kind KindOf(string name, JsonNode? schema)
        {
            string[] types = schema?["type"] switch
            {
                JsonArray list => [.. list.Select(t => (string)t!)],
                JsonValue one => [(string)one!],
                _ => [],
            };
            if ((string?)schema?["format"] == "uuid" || name.EndsWith("_id", StringComparison.Ordinal)) return Kind.Uuid;
            if (types.Contains("array")) return Kind.Items;
            if (types.Contains("boolean")) return Kind.Bool;
            if (types.Contains("integer")) return Kind.Int;
            if (types.Contains("number")) return Kind.Money;
            return name switch
            {
                "email" => Kind.Email,
                "status" => Kind.Status,
                "order_type" => Kind.OrderType,
                "payment_method" or "method" => Kind.PaymentMethod,
                "from" or "to" or "date" or "time" => Kind.Date,
                "page" or "page_size" or "limit" or "offset" => Kind.Int,
                "mine" => Kind.Bool,
                _ => Kind.Text,
            };
        }

        private static string Template(string path) => Placeholder().Replace(path, m =>
        {
            var name = m.Groups[1].Value;
            if (name != "id") return '{' + (name.EndsWith("Id", StringComparison.Ordinal) ? name[..^2] : name) + '}';
            var before = path[..m.Index].TrimEnd('/');
            var collection = before[(before.LastIndexOf('/') + 1)..];
            return '{' + (collection.EndsWith("ies", StringComparison.Ordinal) ? collection[..^3] + "y" : collection.TrimEnd('s')) + '}';
        });

        [GeneratedRegex(@"\{([^}]+)\}")]
        private static partial Regex Placeholder();
    }

    /// <summary>What each kind of caller gets from each route.</summary>
    public static class RoleMatrix
    {
        private const Caller Anon = Caller.Anonymous, Forged = Caller.ForgedToken, User = Caller.Customer, User2 = Caller.OtherCustomer,
            Kitch = Caller.Kitchen, Kitch2 = Caller.OtherKitchen, Rest2 = Caller.OtherOwner, Rest = Caller.Owner;

        private static MatrixRow Row(string route, int anon, int user, int user2, int kitch, int kitch2, int rest2, int rest, string? path = null, string? body = null, int forged = 401) =>
            new(route, new Dictionary<Caller, int>
            {
                [Anon] = anon, [Forged] = forged, [User] = user, [User2] = user2, [Kitch] = kitch, [Kitch2] = kitch2, [Rest2] = rest2, [Rest] = rest,
            }, path, body);

        /// <summary>Tomorrow, 00:00 UTC: reservations in the world are booked then (13:00, 16:00, 19:00), never due soon.</summary>
        public static readonly DateTimeOffset Tomorrow = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

        /// <summary>
        /// Route × role → status for a well-formed request on the owner's restaurant (R) and the customer's order (X).
        /// <see cref="Allowed"/> means any 2xx. Callers are tried in column order, the owner last (deletes use throwaway rows).
        /// "Other" callers belong to another restaurant or are another customer.
        /// </summary>
        public static readonly IReadOnlyList<MatrixRow> Rows =
        [
            //   route                                                   anon user user2 kitch kitch2 rest2 rest
            Row("GET /auth/me",                                          401, 200, 200, 200, 200, 200, 200),
            Row("GET /dev/mailbox",                                      200, 200, 200, 200, 200, 200, 200, path: "/dev/mailbox?email=nobody%40example.com"),
            Row("POST /auth/verify-otp",                                 400, 400, 400, 400, 400, 400, 400, body: """{"email":"nobody@example.com","code":"000000"}"""),
            Row("GET /restaurants",                                      200, 200, 200, 200, 200, 200, 200),
            Row("GET /restaurants/{restaurant}",                         200, 200, 200, 200, 200, 200, 200),
            Row("GET /restaurants/{restaurant}/menu",                    200, 200, 200, 200, 200, 200, 200),
            Row("POST /restaurants",                                     401, 403, 403, 403, 403, 201, 201, body: """{"name":"Matrix Bistro"}"""),
            Row("PUT /restaurants/{restaurant}",                         401, 403, 403, 403, 403, 403, 200, body: """{"name":"Matrix Trattoria","address":"1 Via Roma","phone":"+39 06 1234"}"""),
            Row("POST /restaurants/{restaurant}/categories",             401, 403, 403, 403, 403, 403, 201, body: """{"name":"Desserts"}"""),
            Row("PUT /restaurants/{restaurant}/categories/{category}",   401, 403, 403, 403, 403, 403, 200, body: """{"name":"Mains"}"""),
            Row("DELETE /restaurants/{restaurant}/categories/{category}",401, 403, 403, 403, 403, 403, 204, path: "/restaurants/{restaurant}/categories/{throwaway-category}"),
            Row("GET /restaurants/{restaurant}/foods",                   401, 403, 403, 403, 403, 403, 200),
            Row("POST /restaurants/{restaurant}/foods",                  401, 403, 403, 403, 403, 403, 201, body: """{"name":"Panna cotta","price":6.5}"""),
            Row("PUT /restaurants/{restaurant}/foods/{food}",            401, 403, 403, 403, 403, 403, 200, body: """{"name":"Margherita","price":12.5}"""),
            Row("DELETE /restaurants/{restaurant}/foods/{food}",         401, 403, 403, 403, 403, 403, 204, path: "/restaurants/{restaurant}/foods/{throwaway-food}"),
            Row("GET /restaurants/{restaurant}/staff",                   401, 403, 403, 403, 403, 403, 200),
            Row("POST /restaurants/{restaurant}/staff",                  401, 403, 403, 403, 403, 403, 201, body: $$"""{"email":"matrix-cook-{{Guid.NewGuid():N}}@example.com"}"""),
            Row("DELETE /restaurants/{restaurant}/staff/{user}",         401, 403, 403, 403, 403, 403, 204, path: "/restaurants/{restaurant}/staff/{throwaway-user}"),
            Row("POST /orders",                                          401, 201, 201, 403, 403, 403, 403, body: "{usual-order}"),
            Row("GET /orders",                                           401, 200, 200, 200, 200, 200, 200),
            Row("GET /orders/{order}",                                   401, 200, 404, 200, 404, 404, 200),
            Row("GET /orders/{order}/timeline",                          401, 200, 404, 200, 404, 404, 200),
            Row("PATCH /orders/{order}/status",                          401, 403, 403, 403, 403, 404, Allowed, path: "/orders/{status-order}/status", body: """{"status":"ACCEPTED"}"""),
            Row("GET /tables",                                           401, 403, 403, 200, 200, 200, 200),
            Row("POST /tables",                                          401, 403, 403, 403, 403, 404, 201, body: """{"restaurant_id":"{restaurant}","number":90,"capacity":2,"section":"Bar"}"""),
            Row("GET /tables/{table}",                                   401, 403, 403, 200, 404, 404, 200),
            Row("PUT /tables/{table}",                                   401, 403, 403, 403, 403, 404, 200, body: """{"number":1,"capacity":6,"section":"Main room"}"""),
            Row("PATCH /tables/{table}/status",                          401, 403, 403, 403, 403, 404, 200, body: """{"status":"AVAILABLE"}"""),
            Row("DELETE /tables/{table}",                                401, 403, 403, 403, 403, 404, 204, path: "/tables/{throwaway-table}"),
            Row("POST /orders/dine-in",                                  401, 403, 403, 403, 403, 404, 201, body: """{"table_id":"{open-table}","covers":2}"""),
            Row("POST /orders/{order}/rounds",                           401, 403, 403, 403, 403, 404, 201, path: "/orders/{table-order}/rounds", body: """{"items":[{"food_id":"{food-a}","quantity":1}]}"""),
            Row("DELETE /orders/{order}/items/{lineNo}",                 401, 403, 403, 403, 403, 404, 200, path: "/orders/{table-order}/items/2"),
            Row("POST /orders/{order}/move",                             401, 403, 403, 403, 403, 404, 200, path: "/orders/{table-order}/move", body: """{"table_id":"{move-table}"}"""),
            Row("POST /orders/{order}/merge",                            401, 403, 403, 403, 403, 404, 200, path: "/orders/{merge-order}/merge", body: """{"into_order_id":"{table-order}"}"""),
            Row("GET /reservations/availability",                        200, 200, 200, 200, 200, 200, 200, path: $"/reservations/availability?restaurant_id={{restaurant}}&date={Tomorrow:yyyy-MM-dd}&party_size=2"),
            Row("POST /reservations",                                    401, 409, 409, 403, 403, 404, 409, body: $$"""{"restaurant_id":"{restaurant}","party_size":5,"time":"{{Tomorrow.AddHours(19.5):O}}"}"""),
            Row("GET /reservations",                                     401, 403, 403, 403, 403, 404, 200, path: "/reservations?restaurant_id={restaurant}"),
            Row("GET /reservations/mine",                                401, 200, 200, 403, 403, 403, 403),
            Row("GET /reservations/{reservation}",                       401, 200, 404, 403, 403, 404, 200),
            Row("POST /reservations/{reservation}/cancel",               401, 200, 404, 403, 403, 404, 409, path: "/reservations/{cancel-reservation}/cancel"),
            Row("POST /reservations/{reservation}/no-show",              401, 403, 403, 403, 403, 404, 409),
            Row("POST /reservations/{reservation}/seat",                 401, 403, 403, 403, 403, 404, 200, path: "/reservations/{seat-reservation}/seat"),
            Row("GET /kitchen/tickets",                                  401, 403, 403, 200, 200, 200, 200),
            Row("GET /kitchen/tickets/{ticket}",                         401, 403, 403, 200, 404, 404, 200),
            Row("PATCH /kitchen/tickets/{ticket}/status",                401, 403, 403, 200, 404, 403, 403, body: """{"status":"ACCEPTED"}"""),
            Row("GET /kitchen/stations",                                 401, 403, 403, 200, 200, 200, 200),
            Row("POST /kitchen/stations",                                401, 403, 403, 403, 403, 404, 201, body: $$"""{"restaurant_id":"{restaurant}","name":"Station {{Guid.NewGuid():N}}"}"""),
            Row("PUT /kitchen/stations/{station}",                       401, 403, 403, 403, 403, 404, 200, body: """{"name":"Pass","is_default":false}"""),
            Row("DELETE /kitchen/stations/{station}",                    401, 403, 403, 403, 403, 404, 204, path: "/kitchen/stations/{throwaway-station}"),
            Row("PATCH /kitchen/tickets/{ticket}/items/{lineNo}/status", 401, 403, 403, 200, 404, 403, 403, path: "/kitchen/tickets/{ticket}/items/1/status", body: """{"status":"IN_PROGRESS"}"""),
            Row("PATCH /kitchen/tickets/{ticket}/priority",              401, 403, 403, 200, 404, 404, 200, body: """{"priority":"high"}"""),
            Row("GET /kitchen/prep-times",                               401, 403, 403, 200, 200, 200, 200),
            Row("GET /kitchen/settings",                                 401, 403, 403, 200, 200, 200, 200),
            Row("PUT /kitchen/settings",                                 401, 403, 403, 403, 403, 404, 200, body: """{"restaurant_id":"{restaurant}","delay_threshold_seconds":1200}"""),
            Row("POST /kitchen/delays/sweep",                            401, 403, 403, 200, 200, 200, 200),
            Row("GET /inventory/items",                                  401, 403, 403, 200, 404, 404, 200, path: "/inventory/items?restaurant_id={restaurant}"),
            Row("POST /inventory/items",                                 401, 403, 403, 403, 403, 404, 201, body: $$"""{"restaurant_id":"{restaurant}","name":"Flour","sku":"FL-{{Guid.NewGuid():N}}","unit":"g"}"""),
            Row("GET /inventory/suppliers",                              401, 403, 403, 200, 404, 404, 200, path: "/inventory/suppliers?restaurant_id={restaurant}"),
            Row("GET /inventory/purchase-orders",                        401, 403, 403, 200, 404, 404, 200, path: "/inventory/purchase-orders?restaurant_id={restaurant}"),
            Row("GET /inventory/reports/usage",                          401, 403, 403, 403, 403, 404, 200, path: "/inventory/reports/usage?restaurant_id={restaurant}"),
            Row("GET /billing/orders/{order}",                           401, 200, 404, 403, 403, 404, 200),
            Row("PATCH /billing/bills/{bill}/payment",                   401, 403, 403, 403, 403, 404, 200, body: """{"payment_method":"cash"}"""),
            Row("GET /billing/bills/{bill}/payments",                    401, 403, 403, 403, 403, 404, 200),
            // The customer pays their own bill online only (cash is 400 naming method); another customer's is not found.
            Row("POST /billing/bills/{bill}/payments",                   401, 400, 404, 403, 403, 404, 201, body: """{"amount":1.00,"method":"cash","tip":0.50}"""),
            Row("POST /billing/payments/{payment}/capture",              401, 403, 403, 403, 403, 404, 200),
            Row("GET /billing/bills/{bill}/receipt",                     401, 403, 403, 403, 403, 404, 200),
            Row("POST /billing/bills/{bill}/receipt/email",              401, 403, 403, 403, 403, 404, 202, body: """{"email":"matrix@example.com"}"""),
            // The guarded bill is still being paid: nothing to refund yet.
            Row("GET /billing/bills/{bill}/refunds",                     401, 403, 403, 403, 403, 404, 200),
            Row("POST /billing/bills/{bill}/refunds",                    401, 403, 403, 403, 403, 404, 409, body: """{"amount":0.50,"reason":"matrix"}"""),
            Row("POST /payments/webhook",                                401, 401, 401, 401, 401, 401, 401, body: """{"provider_reference":"rm_0","status":"captured"}"""),
            // The guarded bill already holds a payment: it is split and discounted before the first one, or not at all.
            Row("GET /billing/bills/{bill}/split",                       401, 403, 403, 403, 403, 404, 200),
            Row("POST /billing/bills/{bill}/split",                      401, 403, 403, 403, 403, 404, 409, body: """{"guests":2}"""),
            Row("POST /billing/bills/{bill}/discount",                   401, 403, 403, 403, 403, 404, 409, body: """{"percent":10,"reason":"Birthday"}"""),
            Row("POST /billing/restaurants/{restaurant}/discount-codes", 401, 403, 403, 403, 403, 404, 201, body: """{"code":"MATRIX10","kind":"percent","value":10}"""),
            Row("GET /billing/restaurants/{restaurant}/discount-codes",  401, 403, 403, 403, 403, 404, 200),
            Row("GET /billing/restaurants/{restaurant}/charges",         401, 403, 403, 403, 403, 404, 200),
            Row("PUT /billing/restaurants/{restaurant}/charges",         401, 403, 403, 403, 403, 404, 200, body: """{"tax_rate":0.10}"""),
            Row("POST /billing/orders/{order}/finalize",                 401, 403, 403, 403, 403, 404, 200, body: """{"payment_method":"card"}"""),
            Row("GET /analytics/top-foods",                              401, 403, 403, 403, 403, 404, 200),
            Row("GET /analytics/revenue",                                401, 403, 403, 403, 403, 404, 200),
            Row("GET /analytics/orders-by-status",                       401, 403, 403, 403, 403, 404, 200),
            Row("GET /analytics/floor",                                  401, 403, 403, 403, 403, 404, 200),
            Row("GET /analytics/payments",                               401, 403, 403, 403, 403, 404, 200),
            Row("GET /analytics/kitchen-delays",                         401, 403, 403, 403, 403, 404, 200),
            Row("GET /analytics/top-modifiers",                          401, 403, 403, 403, 403, 404, 200),
            Row("GET /internal/foods",                                   404, 404, 404, 404, 404, 404, 404, forged: 404),
            Row("POST /internal/staff",                                  404, 404, 404, 404, 404, 404, 404, forged: 404, body: """{"email":"x@example.com"}"""),
            // Last: it ends each caller's session.
            Row("POST /auth/logout",                                     401, 204, 204, 204, 204, 204, 204),
        ];
    }

    /// <summary>One generated request.</summary>
    public sealed record FuzzRequest(Route Route, Caller Caller, string Path, string? Body, string? ContentType, bool MustReject)
    {
        public override string ToString() =>
            $"{Route.Method} {Path} as {Caller} [{ContentType}] {(Body is null ? "" : Body.Length > 200 ? Body[..200] + $"…({Body.Length} chars)" : Body)}";

        private enum Shape { Typed, WrongType, MissingRequired, Malformed, Empty, NotAnObject, Huge, WrongContentType }

        private static readonly string[] Junk =
            ["not-a-uuid", "0", "-1", "00000000-0000-0000-0000-000000000000", "%F0%9F%8D%95", "%00", "..%2F..%2Fetc", "' OR 1=1 --", new string('9', 1500)];

        private static readonly Gen<string> Text = Gen.OneOf(
            Gen.Const("Pasta al forno"), Gen.String, Gen.Const(""), Gen.Const("   "), Gen.Const("🍕 Pizza ✓ ß Ω 中文 ‮"),
            Gen.Const("nul\u0000byte"), Gen.Const("<script>alert(1)</script>"), Gen.Const("Robert'); DROP TABLE foods;--"),
            Gen.Int[200, 20_000].Select(n => new string('x', n)), Gen.Const("\ud800 lone surrogate"));

        private static readonly Gen<string> Number = Gen.OneOf(
            Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Const("0"), Gen.Const("-1"), Gen.Const("2147483648"),
            Gen.Const("99999999999999999999999999999999"), Gen.Const("1e400"), Gen.Const("-0.0001"), Gen.Const("12.50"), Gen.Const("3.14159265358979323846"));

        /// <summary>A JSON value of the field's type, plausible or absurd.</summary>
        private static Gen<string> Typed(Kind kind, World world) => kind switch
        {
            Kind.Text => Text.Select(Json),
            Kind.Email => Gen.OneOf(Gen.Const("fuzz@example.com"), Gen.Const("not-an-email"), Gen.Const("ü@例え.jp"), Gen.Const("a@b"), Text).Select(Json),
            Kind.Uuid => Gen.OneOf(Gen.Guid.Select(g => g.ToString()), Gen.Const(world.Sandbox.Restaurant.ToString()), Gen.Const(world.Sandbox.Food.ToString())).Select(Json),
            Kind.Int => Number,
            Kind.Money => Number,
            Kind.Bool => Gen.OneOf("true", "false"),
            Kind.Status => Gen.OneOf("PLACED", "ACCEPTED", "IN_PROGRESS", "READY", "COMPLETED", "CANCELLED", "DELIVERED_TO_SERVICE", "placed", "", "BOGUS").Select(Json),
            Kind.OrderType => Gen.OneOf("dine_in", "takeaway", "delivery", "DINE_IN", "", "teleport").Select(Json),
            Kind.PaymentMethod => Gen.OneOf("card", "cash", "CARD", "", "bitcoin").Select(Json),
            Kind.Date => Gen.OneOf("2026-01-01", "9999-12-31", "0001-01-01", "2026-02-30", "yesterday").Select(Json),
            Kind.Items => Gen.OneOf(
                Gen.Select(Gen.OneOf(Gen.Guid, Gen.Const(world.Sandbox.Food)), Number, (food, quantity) => $$"""[{"food_id":"{{food}}","quantity":{{quantity}}}]"""),
                Gen.Const("[]"),
                Gen.Int[100, 2000].Select(n => "[" + string.Join(",", Enumerable.Repeat($$"""{"food_id":"{{world.Sandbox.Food}}","quantity":1}""", n)) + "]"),
                Gen.Const("""[null]"""), Gen.Const("""[{}]""")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        /// <summary>A JSON value no binder may take for the field's type.</summary>
        private static Gen<string> WrongType(Kind kind) => kind switch
        {
            Kind.Int or Kind.Money => Gen.OneOf("\"twelve\"", "true", "{}", "[1]", "\"\""),
            Kind.Bool => Gen.OneOf("\"yes\"", "1", "{}", "[]"),
            Kind.Items => Gen.OneOf("{}", "\"pizza\"", "42", "[1,2]", "[\"x\"]", "true"),
            Kind.Uuid => Gen.OneOf("\"not-a-uuid\"", "42", "true", "{}", "[]", "\"\""),
            _ => Gen.OneOf("42", "true", "{}", "[]", "-1.5", "[\"a\"]"),
        };

        private static string Json(string s) => JsonSerializer.Serialize(s);

        public static Gen<FuzzRequest> Generator(Catalogue catalogue, World world) =>
            from route in Gen.OneOf(catalogue.Routes.ToArray())
            from caller in Gen.Enum<Caller>()
            from picked in route.HasBody ? Gen.Enum<Shape>() : Gen.Const(Shape.Typed)
            let shape = picked == Shape.MissingRequired && !route.Body.Any(f => f.Required) ? Shape.WrongType : picked
            from useSandbox in Gen.Bool
            from request in Build(route, caller, shape, world, useSandbox)
            select request;

        private static Gen<FuzzRequest> Build(Route route, Caller caller, Shape shape, World world, bool useSandbox)
        {
            // Well-typed writes go to the sandbox restaurant, where they may change things; every other write targets
            // the guarded restaurants with something certainly wrong, so it must be rejected and change nothing.
            // Leaving out required fields is no mistake where none is required: such a body is well formed too.
            var wellFormed = shape == Shape.Typed || (shape == Shape.MissingRequired && !route.Body.Any(f => f.Required));
            var sandbox = route.Mutating && wellFormed;
            if (route.Template == "/auth/logout" && caller is not (Caller.Anonymous or Caller.ForgedToken))
                caller = Caller.ForgedToken; // a real logout would end the caller's session for the rest of the run
            var deleteGuarded = route.Method == "DELETE" && !useSandbox;

            var path = PathGen(route, world, sandbox || (route.Method == "DELETE" && useSandbox), forbidValid: deleteGuarded);
            var query = route.Query.Length == 0 ? Gen.Const("") :
                All(route.Query.Select(q => Gen.Frequency((1, Gen.Const<string?>((string?)null)), (2, QueryValue(q, world)!))).ToArray())
                    .Select(values => values.Zip(route.Query).Where(v => v.First is not null).Select(v => $"{v.Second.Name}={v.First}").ToArray())
                    .Select(parts => parts.Length == 0 ? "" : "?" + string.Join("&", parts));
            var body = route.HasBody ? BodyGen(route, shape, world) : Gen.Const<(string?, string?)>((null, null));
            var mustReject = (route.Mutating && route.HasBody && !wellFormed) || deleteGuarded || route.Template.StartsWith("/internal", StringComparison.Ordinal);
            return Gen.Select(path, query, body, (p, q, b) => new FuzzRequest(route, caller, p + q, b.Item1, b.Item2, mustReject))
                .SelectMany(r => Gen.Bool.Select(api => api ? r with { Path = "/api" + r.Path } : r));
        }

        /// <summary>One value from each generator, in order.</summary>
        private static Gen<T[]> All<T>(Gen<T>[] gens) =>
            gens.Aggregate(Gen.Const(Array.Empty<T>()), (values, gen) => values.SelectMany(vs => gen.Select(v => (T[])[.. vs, v])));

        private static Gen<string> QueryValue(Field field, World world) =>
            Gen.OneOf(Typed(field.Kind, world).Select(v => v.Trim('"')), Gen.OneOf(Junk)).Select(Uri.EscapeDataString);

        private static Gen<string> PathGen(Route route, World world, bool sandbox, bool forbidValid)
        {
            var gen = Gen.Const(route.Template);
            foreach (var placeholder in Ids.Placeholders)
            {
                if (!route.Template.Contains('{' + placeholder + '}', StringComparison.Ordinal)) continue;
                var ids = sandbox ? world.Sandbox : world.Guarded;
                var valid = ids.For(placeholder).ToString();
                // A write that may succeed stays in the sandbox: the other restaurant's ids are guarded too (its owner may change it).
                var choice = forbidValid
                    ? Gen.OneOf(Gen.Guid.Select(g => g.ToString()), Gen.OneOf(Junk))
                    : sandbox
                        ? Gen.Frequency((6, Gen.Const(valid)), (1, Gen.Guid.Select(g => g.ToString())), (2, Gen.OneOf(Junk)))
                        : Gen.Frequency((6, Gen.Const(valid)), (1, Gen.Const(world.Other.For(placeholder).ToString())), (1, Gen.Guid.Select(g => g.ToString())), (2, Gen.OneOf(Junk)));
                gen = gen.SelectMany(p => choice.Select(v => p.Replace('{' + placeholder + '}', v, StringComparison.Ordinal)));
            }
            return gen;
        }

        private static Gen<(string? Body, string? ContentType)> BodyGen(Route route, Shape shape, World world)
        {
            var fields = route.Body;
            var extra = Gen.Frequency((3, Gen.Const("")), (1, Gen.OneOf(",\"extra\":1", ",\"id\":\"00000000-0000-0000-0000-000000000001\"", ",\"owner_user_id\":\"" + Guid.NewGuid() + "\"", ",\"__proto__\":{}")));
            Gen<string> Object(Func<Field, Gen<string>?> value) =>
                All(fields.Select(f => value(f) ?? Gen.Const("\u0001")).ToArray())
                    .Select(values => string.Join(",", values.Zip(fields).Where(v => v.First != "\u0001").Select(v => $"\"{v.Second.Name}\":{v.First}")))
                    .SelectMany(inner => extra.Select(e => "{" + inner + (inner.Length == 0 ? e.TrimStart(',') : e) + "}"));
            Gen<string> TypedOrMissing(Field f) => f.Required ? Typed(f.Kind, world) : Gen.Frequency((3, Typed(f.Kind, world)), (1, Gen.Const("\u0001")));

            var json = Object(TypedOrMissing);
            return shape switch
            {
                Shape.Typed => json.Select(j => ((string?)j, (string?)"application/json")),
                Shape.WrongType => Gen.Int[0, fields.Length - 1].SelectMany(wrong =>
                    Object(f => f == fields[wrong] ? WrongType(f.Kind) : TypedOrMissing(f))).Select(j => ((string?)j, (string?)"application/json")),
                Shape.MissingRequired => Object(f => f.Required ? Gen.Const("\u0001") : TypedOrMissing(f)).Select(j => ((string?)j, (string?)"application/json")),
                Shape.Malformed => json.SelectMany(j => Gen.OneOf(
                    Gen.Int[1, Math.Max(1, j.Length - 1)].Select(n => j[..n]),
                    Gen.Const("{\"name\": }"), Gen.Const("{'name':'single quotes'}"), Gen.Const("{\"a\":1,}"), Gen.Const("\uFEFF{"), Gen.Const("nul\u0000l"),
                    Gen.Const("{\"name\":\"Pasta\"} trailing"))).Select(j => ((string?)j, (string?)"application/json")),
                Shape.Empty => Gen.Const(((string?)"", (string?)"application/json")),
                Shape.NotAnObject => Gen.OneOf("[]", "\"pasta\"", "42", "true", "[{}]").Select(j => ((string?)j, (string?)"application/json")),
                Shape.Huge => Gen.Const(((string?)("{\"name\":\"" + new string('x', 300 * 1024) + "\"}"), (string?)"application/json")),
                Shape.WrongContentType => json.SelectMany(j => Gen.OneOf("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")
                    .Select(ct => ((string?)j, (string?)ct))),
                _ => throw new ArgumentOutOfRangeException(nameof(shape)),
            };
        }
    }

    /// <summary>Ids one kind of placeholder resolves to.</summary>
    public sealed record Ids(Guid Restaurant, Guid Category, Guid Food, Guid User, Guid Order, Guid Ticket, Guid Bill, Guid Table, Guid Reservation, Guid Payment, Guid Station,
        Guid Item, Guid PurchaseOrder)
    {
        public static readonly string[] Placeholders = ["restaurant", "category", "food", "user", "order", "ticket", "bill", "table", "lineNo", "reservation", "payment", "station", "item", "purchase-order"];

        public string For(string placeholder) => placeholder switch
        {
            "restaurant" => Restaurant.ToString(), "category" => Category.ToString(), "food" => Food.ToString(), "user" => User.ToString(),
            "order" => Order.ToString(), "ticket" => Ticket.ToString(), "bill" => Bill.ToString(), "table" => Table.ToString(), "reservation" => Reservation.ToString(),
            "payment" => Payment.ToString(), "station" => Station.ToString(), "item" => Item.ToString(), "purchase-order" => PurchaseOrder.ToString(),
            // Every order has a line 1.
            "lineNo" => "1",
            _ => throw new ArgumentOutOfRangeException(nameof(placeholder)),
        };
    }

    /// <summary>
    /// Two guarded restaurants (the owner's R with the customer's order X, its ticket and bill; another owner's R2),
    /// a sandbox restaurant of the same owner where well-formed writes may land, and a signed-in client of each kind.
    /// </summary>
    public sealed class World : IDisposable
    {
        private readonly ApplicationFixture _fixture;
        private readonly HttpClient _gateway;
        private readonly Dictionary<Caller, string?> _tokens;
        private readonly Restaurant _main, _other, _sandbox;
        private readonly Dictionary<string, Guid> _throwaway;

        private World(ApplicationFixture fixture, Restaurant main, Restaurant other, Restaurant sandbox, Ids guarded, Ids otherIds, Ids sandboxIds,
            Person otherCustomer, Dictionary<string, Guid> throwaway)
        {
            _fixture = fixture;
            _main = main;
            _other = other;
            _sandbox = sandbox;
            Guarded = guarded;
            Other = otherIds;
            Sandbox = sandboxIds;
            _throwaway = throwaway;
            _gateway = fixture.CreateGatewayClient();
            _gateway.Timeout = TimeSpan.FromSeconds(30);
            _tokens = new Dictionary<Caller, string?>
            {
                [Caller.Anonymous] = null,
                [Caller.ForgedToken] = "forged-" + Guid.NewGuid().ToString("N"),
                [Caller.Customer] = main.Customer.Login.Token,
                [Caller.OtherCustomer] = otherCustomer.Login.Token,
                [Caller.Kitchen] = main.Kitchen.Login.Token,
                [Caller.OtherKitchen] = other.Kitchen.Login.Token,
                [Caller.OtherOwner] = other.Owner.Login.Token,
                [Caller.Owner] = main.Owner.Login.Token,
            };
            otherCustomer.Dispose();
        }

        public Ids Guarded { get; }
        public Ids Other { get; }
        public Ids Sandbox { get; }

        public static async Task<World> OpenAsync(ApplicationFixture fixture)
        {
            var main = await Restaurant.OpenAsync(fixture);
            var other = await Restaurant.OpenAsync(fixture);
            var sandbox = await Restaurant.OpenAsync(fixture, main.Owner);
            var otherCustomer = await OrderingFlow.SignInAsync(fixture);
            var guarded = await IdsOfAsync(fixture, main);
            var otherIds = await IdsOfAsync(fixture, other);
            var sandboxIds = await IdsOfAsync(fixture, sandbox);
            var throwaway = new Dictionary<string, Guid>
            {
                ["throwaway-category"] = await main.Owner.CreateCategoryAsync(main.Id, "Throwaway"),
                ["throwaway-food"] = await main.Owner.CreateFoodAsync(main.Id, "Throwaway", 1m),
                ["throwaway-user"] = (await OrderingFlow.HireKitchenStaffAsync(fixture, main.Owner, main.Id)).UserId,
                ["status-order"] = (await main.Customer.PlaceOrderOkAsync(main.UsualOrder())).GetProperty("id").GetGuid(),
                ["throwaway-table"] = await main.AddTableAsync(2, 2, "Terrace"),
                ["open-table"] = await main.AddTableAsync(3, 2, "Terrace"),
                ["move-table"] = await main.AddTableAsync(4, 2, "Terrace"),
                ["food-a"] = main.A.Id,
                ["throwaway-station"] = await KitchenFlow.CreateStationAsync(main.Owner.Client, main.Id, "Throwaway"),
                ["cancel-reservation"] = (await main.Customer.Client.BookOkAsync(main.Id, 4, RoleMatrix.Tomorrow.AddHours(16))).GetProperty("id").GetGuid(),
                ["seat-reservation"] = (await main.Customer.Client.BookOkAsync(main.Id, 4, RoleMatrix.Tomorrow.AddHours(19))).GetProperty("id").GetGuid(),
            };
            var waiter = await FloorFlow.HireWaiterAsync(fixture, main);
            throwaway["table-order"] = (await waiter.OpenTableOkAsync(await main.AddTableAsync(5, 4, "Main room"), 2, [FloorFlow.Line(main.A, 1)])).GetProperty("id").GetGuid();
            throwaway["merge-order"] = (await waiter.OpenTableOkAsync(await main.AddTableAsync(6, 4, "Main room"), 2, [FloorFlow.Line(main.B, 1)])).GetProperty("id").GetGuid();
            waiter.Dispose();
            // Their tickets and bills come through Kafka: wait for them, or they would land between the snapshots.
            foreach (var order in new[] { "status-order", "table-order", "merge-order" })
            {
                await main.Kitchen.WaitForTicketAsync(throwaway[order], TimeSpan.FromSeconds(30));
                await main.Owner.Client.WaitForBillAsync(throwaway[order]);
            }
            return new World(fixture, main, other, sandbox, guarded, otherIds, sandboxIds, otherCustomer, throwaway);
        }

        /// <summary>Places an order and waits for its ticket and bill, so every placeholder has a real id.</summary>
        private static async Task<Ids> IdsOfAsync(ApplicationFixture fixture, Restaurant r)
        {
            var category = await r.Owner.CreateCategoryAsync(r.Id, "Mains");
            var order = (await r.Customer.PlaceOrderOkAsync(r.UsualOrder())).GetProperty("id").GetGuid();
            var ticket = (await r.Kitchen.WaitForTicketAsync(order, TimeSpan.FromSeconds(30))).GetProperty("id").GetGuid();
            var bill = (await r.Customer.Client.WaitForBillAsync(order)).GetProperty("id").GetGuid();
            var table = await r.AddTableAsync(1, 4, "Main room");
            // Party of 4: only the main table seats it, never the throwaway tables the matrix removes, opens or moves to.
            var reservation = (await r.Customer.Client.BookOkAsync(r.Id, 4, RoleMatrix.Tomorrow.AddHours(13))).GetProperty("id").GetGuid();
            // A card payment only authorized, so the bill stays open and the payment can be captured.
            Guid payment;
            using (var authorized = await r.Owner.Client.CallAsync(HttpMethod.Post, $"/billing/bills/{bill}/payments", new { amount = 1.00m, method = "card", capture = false }))
            {
                await authorized.ShouldHaveStatusAsync(HttpStatusCode.Created);
                payment = (await authorized.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            }
            // Routes nothing, so the world's tickets stay the whole kitchen's.
            var station = await KitchenFlow.CreateStationAsync(r.Owner.Client, r.Id, "Pass");
            // A store-room item below its reorder level, and a draft purchase order for it.
            var item = await PostForIdAsync(r.Owner.Client, "/inventory/items", new { restaurant_id = r.Id, name = "Flour", sku = "FLOUR", unit = "g", reorder_level = 100m });
            var supplier = await PostForIdAsync(r.Owner.Client, "/inventory/suppliers", new { restaurant_id = r.Id, name = "Mulino", email = "orders@mulino.example" });
            var purchaseOrder = await PostForIdAsync(r.Owner.Client, "/inventory/purchase-orders", new { supplier_id = supplier });
            return new Ids(r.Id, category, r.A.Id, r.Kitchen.UserId, order, ticket, bill, table, reservation, payment, station, item, purchaseOrder);
        }

        private static async Task<Guid> PostForIdAsync(HttpClient client, string path, object body)
        {
            using var created = await client.CallAsync(HttpMethod.Post, path, body);
            await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        /// <summary>A matrix row's path: the template filled with the guarded ids, throwaway rows where named.</summary>
        public string Path(string route, string? template)
        {
            var path = template ?? route[(route.IndexOf(' ') + 1)..];
            foreach (var (name, id) in _throwaway) path = path.Replace('{' + name + '}', id.ToString(), StringComparison.Ordinal);
            foreach (var placeholder in Ids.Placeholders)
                path = path.Replace('{' + placeholder + '}', Guarded.For(placeholder), StringComparison.Ordinal);
            if (path.StartsWith("/analytics", StringComparison.Ordinal)) path += $"?restaurant_id={Guarded.Restaurant}";
            return path;
        }

        public async Task<(int Status, string? ContentType, string Body)> SendAsync(FuzzRequest request)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Route.Method), request.Path);
            if (_tokens[request.Caller] is { } token) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var body = request.Body == "{usual-order}" ? JsonSerializer.Serialize(_main.UsualOrder(), Json.Options) : request.Body;
            // Matrix bodies name throwaway rows and the guarded restaurant the same way their paths do.
            if (body is not null && !request.MustReject)
            {
                foreach (var (name, id) in _throwaway) body = body.Replace('{' + name + '}', id.ToString(), StringComparison.Ordinal);
                body = body.Replace("{restaurant}", Guarded.Restaurant.ToString(), StringComparison.Ordinal);
            }
            if (body is not null)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (request.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
            try
            {
                return await SendOnceAsync(_gateway, message);
            }
            catch (HttpRequestException)
            {
                // A pooled connection the gateway had closed after refusing a body is not an answer; the retry, over a
                // connection of its own (the pool may hold more closed ones), is.
                try
                {
                    using var again = Copy(message, body);
                    using var fresh = new HttpClient { BaseAddress = _gateway.BaseAddress };
                    return await SendOnceAsync(fresh, again);
                }
                catch (HttpRequestException ex)
                {
                    return (0, null, $"{ex.Message} {ex.InnerException?.Message}");
                }
            }
        }

        private static async Task<(int Status, string? ContentType, string Body)> SendOnceAsync(HttpClient client, HttpRequestMessage message)
        {
            using var response = await client.SendAsync(message);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }

        private static HttpRequestMessage Copy(HttpRequestMessage original, string? body)
        {
            var copy = new HttpRequestMessage(original.Method, original.RequestUri);
            copy.Headers.Authorization = original.Headers.Authorization;
            if (body is not null)
            {
                copy.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (original.Content?.Headers.ContentType is { } type) copy.Content.Headers.ContentType = type;
            }
            return copy;
        }

        /// <summary>Everything stored about the guarded restaurants, their menus, staff, orders, tickets and bills.</summary>
        public async Task<string> SnapshotAsync()
        {
            Guid[] ids = [Guarded.Restaurant, Other.Restaurant];
            await using var db = new NpgsqlConnection(_fixture.App.GetConnectionString("cockroach") + ";Pooling=false");
            var tables = (await db.QueryAsync<(string Schema, string Table)>(
                """
                SELECT table_schema, table_name FROM information_schema.columns
                WHERE column_name = 'restaurant_id' AND table_schema IN ('restaurant', 'orders', 'kitchen', 'billing', 'auth')
                ORDER BY 1, 2
                """)).ToList();
            var snapshot = new StringBuilder();
            snapshot.Append(await db.ExecuteScalarAsync<string>(
                "SELECT md5(string_agg(r::text, '|' ORDER BY r::text)) FROM restaurant.restaurants r WHERE id = ANY(@ids)", new { ids }));
            foreach (var (schema, table) in tables)
                snapshot.Append($" {schema}.{table}:").Append(await db.ExecuteScalarAsync<string>(
                    $"SELECT count(*) || '/' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM \"{schema}\".\"{table}\" t WHERE restaurant_id = ANY(@ids)", new { ids }));
            snapshot.Append(" history:").Append(await db.ExecuteScalarAsync<string>(
                """
                SELECT count(*) || '/' || coalesce(md5(string_agg(h::text, '|' ORDER BY h::text)), '-') FROM orders.order_status_history h
                WHERE order_id IN (SELECT id FROM orders.orders WHERE restaurant_id = ANY(@ids))
                """, new { ids }));
            return snapshot.ToString();
        }

        public void Dispose()
        {
            _gateway.Dispose();
            _main.Dispose();
            _other.Dispose();
            _sandbox.Dispose();
        }
    }
}
