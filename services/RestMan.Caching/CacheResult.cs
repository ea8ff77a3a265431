namespace RestMan.Caching;

/// <summary>A cached or freshly created value; <see cref="Hit"/> tells which (e.g. for an X-Cache header).</summary>
public sealed record CacheResult<T>(T Value, bool Hit);
