using System.Text.RegularExpressions;

namespace RestMan.Gateway.Security;

/// <summary>Who may call a route at the gateway; services still check ownership themselves.</summary>
public enum Access
{
    /// <summary>No sign-in needed; a valid token is still forwarded (e.g. <c>?mine=true</c>).</summary>
    Anonymous,
    /// <summary>Any signed-in role.</summary>
    SignedIn,
    /// <summary>Only the listed roles.</summary>
    Roles,
}

public sealed record RouteRule(string Method, Regex Path, Access Access, string[] AllowedRoles);

/// <summary>
/// Which roles may call each public route, first match wins. Paths are matched without the optional <c>/api</c> prefix.
/// Unlisted paths pass through: the owning service answers (usually 404) and enforces its own rules.
/// </summary>
public static partial class RouteRules
{
    private const string User = Roles.Customer, Owner = Roles.Owner, Kitchen = Roles.KitchenStaff, Waiter = Roles.Waiter;
    private const string Id = "[^/]+";

    public static readonly IReadOnlyList<RouteRule> All =
    [
        // Service health through the gateway (first implementation): /api/<service>/health.
        Rule("GET", "/(auth|restaurants|orders|kitchen|billing|analytics)/health", Access.Anonymous),

        Rule("POST", "/auth/request-otp", Access.Anonymous),
        Rule("POST", "/auth/verify-otp", Access.Anonymous),
        Rule("GET", "/dev/mailbox", Access.Anonymous),
        // The first implementation's clients may name the session in the body only; Auth checks either.
        Rule("POST", "/auth/logout", Access.Anonymous),
        Rule("*", "/auth/.*", Access.SignedIn),

        Rule("*", $"/restaurants/{Id}/staff(/.*)?", Access.Roles, Owner),
        Rule("GET", "/restaurants/my", Access.Roles, Owner),
        Rule("GET", "/restaurants", Access.Anonymous),
        Rule("GET", $"/restaurants/{Id}(/menu)?", Access.Anonymous),
        Rule("*", "/restaurants(/.*)?", Access.Roles, Owner),
        Rule("*", "/(categories|foods)(/.*)?", Access.Roles, Owner),

        Rule("POST", "/orders", Access.Roles, User),
        // Dine-in service: the floor staff and the owner run a table's order.
        Rule("POST", "/orders/dine-in", Access.Roles, Waiter, Owner),
        Rule("*", $"/orders/{Id}/(rounds|items/{Id}|move|merge)", Access.Roles, Waiter, Owner),
        Rule("PATCH", $"/orders/{Id}/status", Access.Roles, User, Owner),
        Rule("*", "/orders(/.*)?", Access.SignedIn),

        Rule("GET", "/tables(/.*)?", Access.Roles, Owner, Waiter, Kitchen),
        Rule("PATCH", $"/tables/{Id}/status", Access.Roles, Owner, Waiter),
        Rule("*", "/tables(/.*)?", Access.Roles, Owner),

        Rule("GET", "/reservations/availability", Access.Anonymous),
        Rule("GET", "/reservations/mine", Access.Roles, User),
        Rule("POST", "/reservations", Access.Roles, User, Owner, Waiter),
        Rule("GET", "/reservations", Access.Roles, Owner, Waiter),
        Rule("POST", $"/reservations/{Id}/cancel", Access.Roles, User, Owner, Waiter),
        Rule("GET", $"/reservations/{Id}", Access.Roles, User, Owner, Waiter),
        Rule("*", "/reservations(/.*)?", Access.Roles, Owner, Waiter),

        // Floor staff may hurry a table's ticket too.
        Rule("PATCH", $"/kitchen/tickets/{Id}/priority", Access.Roles, Kitchen, Owner, Waiter),
        Rule("*", "/kitchen(/.*)?", Access.Roles, Kitchen, Owner),

        Rule("GET", $"/billing/orders/{Id}", Access.Roles, User, Owner, Waiter),
        // Settling a table: the waiter or the owner takes its payments and prints its receipt.
        // A customer pays their own order's bill online from tracking (Billing checks it is theirs).
        Rule("POST", $"/billing/bills/{Id}/payments", Access.Roles, User, Owner, Waiter),
        Rule("*", $"/billing/bills/{Id}/(payments|split|discount|receipt|receipt/email)", Access.Roles, Owner, Waiter),
        Rule("POST", $"/billing/payments/{Id}/capture", Access.Roles, Owner, Waiter),
        Rule("GET", $"/billing/bills/order/{Id}", Access.Roles, User, Owner),
        Rule("GET", $"/billing/users/{Id}", Access.Roles, User, Owner),
        Rule("*", "/billing(/.*)?", Access.Roles, Owner),

        // The payment provider's webhook: it signs the body; Billing checks the signature.
        Rule("POST", "/payments/webhook", Access.Anonymous),

        Rule("*", "/analytics(/.*)?", Access.Roles, Owner),
    ];

    public static RouteRule? Match(string method, string path)
    {
        if (path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)) path = path[4..];
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        return All.FirstOrDefault(r => (r.Method == "*" || r.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) && r.Path.IsMatch(path));
    }

    private static RouteRule Rule(string method, string pattern, Access access, params string[] roles) =>
        new(method, new Regex($"^{pattern}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), access, roles);
}
