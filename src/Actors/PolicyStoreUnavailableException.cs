using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Training stopped because the policy store stayed unavailable longer than the learner's
/// store-unavailable-timeout: a runtime failure (exit 1), with one line naming the store, the
/// cause, and what the run played but could not store.
/// </summary>
public sealed class PolicyStoreUnavailableException(string store, PolicyStoreGaveUp gaveUp)
    : Exception($"the policy store ({store}) was unavailable for {gaveUp.Outage.TotalSeconds:F0} s, longer than alrs.actors.learner.store-unavailable-timeout: {gaveUp.Cause}; " +
                $"{gaveUp.EpisodesNotStored} episodes played were not stored" +
                (gaveUp.VersionNotStored >= 0 ? $", nor version {gaveUp.VersionNotStored}" : "") +
                (gaveUp.LastStoredVersion >= 0 ? $" (the last stored version is {gaveUp.LastStoredVersion})" : " (no version was stored)"));
