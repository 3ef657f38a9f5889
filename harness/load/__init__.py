"""Synthetic load: Faker users, a membership stream, and `fbca load`.

locales     per-locale pools drawn once from a seeded Faker
provider    MParticleProvider: users written as customers store them
stream      MembershipStream: N users across M audiences, as mParticle messages
expected    ExpectedMembership: what each downstream audience should hold
check       comparing that with the fake's members (control API)
graph_stats requests, rows, latency and retries from the fake's journal
runner      run_load: fake + engine + stream + check, one report
cli         the `fbca load` command
"""
