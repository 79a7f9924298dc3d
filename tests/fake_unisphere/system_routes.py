# Copyright (c) 2026 cinder_powermax developers
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Version, system, capability, SRP/SLO, job and iterator endpoints.

Reference sections 3, 4.3, 5, 7 and 8.
"""

from tests.fake_unisphere import errors
from tests.fake_unisphere import routing
from tests.fake_unisphere import sg_routes
from tests.fake_unisphere import views

SLOPROV = '/<ver>/sloprovisioning/symmetrix/<sid>'
route = routing.route


@route('/<ver>/system/job/<job_id>')
def get_job(call, job_id):
    return 200, call.jobs.render(call.jobs.job(job_id))


@route('/<ver>/system/symmetrix/<sid>/job/<job_id>')
def get_array_job(call, sid, job_id):
    call.array(sid)
    job = call.jobs.job(job_id)
    if job.symmetrix_id != sid:
        raise errors.not_found('job', job_id)
    return 200, call.jobs.render(job)


@route('/<ver>/system/symmetrix/<sid>/job', query=('status',))
def list_jobs(call, sid):
    call.array(sid)
    status = call.arg('status')
    found = [j.job_id for j in call.model.jobs.values()
             if j.symmetrix_id == sid and (
                 status is None or j.status.lower() == status.lower())]
    return 200, routing.names('jobId', found)


@route('/<ver>/system/symmetrix')
def list_arrays(call):
    return 200, {'symmetrixId': sorted(call.model.arrays)}


@route('/<ver>/sloprovisioning/symmetrix', query=('compressionCapable',))
def list_provisioning_arrays(call):
    capable = call.flag('compressionCapable')
    found = [sid for sid, array in sorted(call.model.arrays.items())
             if capable is None or array.compression_capable == capable]
    return 200, {'symmetrixId': found}


@route('/<ver>/system/symmetrix/<sid>')
def get_array(call, sid):
    return 200, views.array_detail(call.array(sid))


@route(SLOPROV)
def get_provisioning_array(call, sid):
    return 200, views.array_capacity(call.array(sid))


@route(SLOPROV, 'PUT')
def edit_array(call, sid):
    array = call.array(sid)
    key, value = routing.one_action(call.body, 'editSymmetrixActionParam')
    if key != 'tagManagementParam':
        raise errors.invalid('%s is not supported by this Unisphere' % key)
    apply = sg_routes._tags(array.tags, value)

    def effect():
        apply()
        return views.array_capacity(array), []
    return routing.Change(sid, 'Modify Symmetrix %s' % sid, call.link(),
                          effect)


@route('/<ver>/system/tag', query=('array_id',))
def list_tags(call):
    wanted = call.arg('array_id')
    tags = []
    for sid, array in sorted(call.model.arrays.items()):
        if wanted is None or wanted == sid:
            tags += [t for t in array.tags if t not in tags]
    return 200, {'tag_name': tags}


@route('/<ver>/replication/capabilities/symmetrix')
def replication_capabilities(call):
    # A physical witness is one an RDF group of the array is set up
    # with; virtual witnesses are not modelled.
    return 200, {'symmetrixCapability': [
        {'symmetrixId': sid, 'snapVxCapable': True, 'rdfCapable': True,
         'witness_capable': any(g.witness for g in array.rdf.values()),
         'virtual_witness_capable': False}
        for sid, array in sorted(call.model.arrays.items())]}


@route(SLOPROV + '/srp')
def list_srps(call, sid):
    return 200, {'srpId': sorted(call.array(sid).srps)}


@route(SLOPROV + '/srp/<srp>')
def get_srp(call, sid, srp):
    array = call.array(sid)
    return 200, views.srp_detail(array, array.srp(srp))


@route(SLOPROV + '/slo')
def list_slos(call, sid):
    return 200, {'sloId': sorted(call.array(sid).service_levels)}


@route(SLOPROV + '/slo/<slo>')
def get_slo(call, sid, slo):
    array = call.array(sid)
    if slo not in array.service_levels:
        raise errors.not_found('service level', slo)
    return 200, views.slo_detail(array, slo)


@route(SLOPROV + '/slo/<slo>', 'PUT')
def edit_slo(call, sid, slo):
    """Rename is the one edit of a service level (reference 8.2)."""
    array = call.array(sid)
    if slo not in array.service_levels:
        raise errors.not_found('service level', slo)
    key, value = routing.one_action(call.body, 'editSloActionParam')
    if key != 'renameSloParam':
        raise errors.invalid('%s is not supported by this Unisphere' % key)
    new = routing.need(value, 'sloId', str)

    def effect():
        array.rename_slo(slo, new)
        return views.slo_detail(array, new), []
    return routing.Change(sid, 'Modify Service Level %s' % slo,
                          call.link(), effect)


@route(SLOPROV + '/workloadtype')
def list_workloads(call, sid):
    return 200, {'workloadId': list(call.array(sid).workloads)}


@route('/common/Iterator/<iterator_id>/page', query=('from', 'to'))
def iterator_page(call, iterator_id):
    start = routing.as_int(call.arg('from'), 'from')
    end = routing.as_int(call.arg('to'), 'to')
    return 200, call.model.iterator_page(iterator_id, start, end)


@route('/common/Iterator/<iterator_id>', 'DELETE')
def delete_iterator(call, iterator_id):
    call.model.delete_iterator(iterator_id)
    return 204, None


@route('/version')
def get_root_version(call):
    return 200, call.personality.version_body()


# -- test-only: the data a device presents --------------------------------

CONTENT = '/fake/symmetrix/<sid>/volume/<dev>/content'


@route(CONTENT)
def read_content(call, sid, dev):
    """Not Unisphere: the token standing for the data the device holds."""
    array = call.array(sid)
    return 200, {'content': array.volume(dev).content}


@route(CONTENT, 'PUT')
def write_content(call, sid, dev):
    """Not Unisphere: a host writes ``content`` to the device."""
    array = call.array(sid)
    routing.known(call.body, ('content',))
    token = routing.need(call.body, 'content', str)
    array.host_write(dev, token)
    return 200, {'content': array.volume(dev).content}
