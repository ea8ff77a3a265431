using StackExchange.Redis;

namespace RestMan.Auth.Otp;

/// <summary>A code just issued: its audit id, the code itself (to mail, never to store) and its hash.</summary>
public sealed record IssuedOtp(Guid Id, string Code, string CodeHash, DateTimeOffset ExpiresAt);

public enum OtpOutcome
{
    /// <summary>Right code, now used up.</summary>
    Accepted,
    /// <summary>Wrong code; it stays valid for the remaining tries.</summary>
    Wrong,
    /// <summary>Wrong code, and the last allowed try: the code is void.</summary>
    Voided,
    /// <summary>No live code: never requested, expired, used or voided.</summary>
    Missing,
}

public sealed record OtpCheck(OtpOutcome Outcome, Guid OtpId = default, string RequestedRole = "", int RemainingAttempts = 0);

/// <summary>
/// The live code of an email in Redis: hash <c>otp:{email}</c> with its hash, salt, requested role and wrong-try count,
/// expiring with the code. A new request replaces the previous code.
/// </summary>
public sealed class OtpStore(IConnectionMultiplexer redis, OtpHasher hasher, TimeProvider clock)
{
    // Deletes the code only if it is still the one that was checked: one use, even under concurrent verifications.
    private const string ConsumeScript = """
        if redis.call('HGET', KEYS[1], 'hash') == ARGV[1] then
            redis.call('DEL', KEYS[1])
            return 1
        end
        return 0
        """;

    // Counts a wrong try against the code that was checked, voiding it at the limit; -1 when it is already gone.
    private const string WrongTryScript = """
        if redis.call('HGET', KEYS[1], 'hash') ~= ARGV[1] then
            return -1
        end
        local wrong = redis.call('HINCRBY', KEYS[1], 'wrong', 1)
        if wrong >= tonumber(ARGV[2]) then
            redis.call('DEL', KEYS[1])
        end
        return wrong
        """;

    public async Task<IssuedOtp> IssueAsync(string email, string requestedRole, TimeSpan lifetime)
    {
        var id = Guid.NewGuid();
        var code = OtpHasher.NewCode();
        var salt = OtpHasher.NewSalt();
        var hash = hasher.Hash(salt, email, code);
        var key = Key(email);

        var batch = redis.GetDatabase().CreateTransaction();
        _ = batch.KeyDeleteAsync(key);
        _ = batch.HashSetAsync(key,
        [
            new HashEntry("id", id.ToString()), new HashEntry("hash", hash), new HashEntry("salt", salt),
            new HashEntry("role", requestedRole), new HashEntry("wrong", 0),
        ]);
        _ = batch.KeyExpireAsync(key, lifetime);
        await batch.ExecuteAsync();
        return new IssuedOtp(id, code, hash, clock.GetUtcNow().Add(lifetime));
    }

    public async Task<OtpCheck> VerifyAsync(string email, string code, int maxAttempts)
    {
        var db = redis.GetDatabase();
        var key = Key(email);
        var fields = await db.HashGetAsync(key, ["id", "hash", "salt", "role", "wrong"]);
        if (fields.Any(f => f.IsNull)) return new OtpCheck(OtpOutcome.Missing);

        var storedHash = (string)fields[1]!;
        var candidate = hasher.Hash((string)fields[2]!, email, code);
        if (OtpHasher.Matches(storedHash, candidate))
        {
            var consumed = (int)await db.ScriptEvaluateAsync(ConsumeScript, [key], [storedHash]);
            return consumed == 1
                ? new OtpCheck(OtpOutcome.Accepted, Guid.Parse((string)fields[0]!), (string)fields[3]!)
                : new OtpCheck(OtpOutcome.Missing);
        }

        var wrong = (int)await db.ScriptEvaluateAsync(WrongTryScript, [key], [storedHash, maxAttempts]);
        if (wrong < 0) return new OtpCheck(OtpOutcome.Missing);
        return wrong >= maxAttempts
            ? new OtpCheck(OtpOutcome.Voided)
            : new OtpCheck(OtpOutcome.Wrong, RemainingAttempts: maxAttempts - wrong);
    }

    private static string Key(string email) => "otp:" + email;
}
