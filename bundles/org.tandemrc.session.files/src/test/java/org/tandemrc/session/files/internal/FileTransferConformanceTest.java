package org.tandemrc.session.files.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class FileTransferConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return new FileTransfer();
    }
}
